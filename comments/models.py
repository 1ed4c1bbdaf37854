from django.db import models
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment

from blog.models import Article


class ModerationPolicy(models.Model):
    """An article's own moderation rule, when it differs from the site's.

    Comments themselves are django-comments-xtd's stock ``XtdComment`` rows;
    this only records what an editor chose for one discussion (opening and
    closing stay on ``Article.comments_enabled``).
    """

    class Moderation(models.TextChoices):
        SITE = "site", _("Site policy")
        PRE = "pre", _("Hold every comment for approval")

    article = models.OneToOneField(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="moderation_policy",
    )
    moderation = models.CharField(
        _("moderation"),
        max_length=10,
        choices=Moderation.choices,
        default=Moderation.PRE,
        help_text=_("Hold every comment for approval on a sensitive article."),
    )

    class Meta:
        ordering = ["article"]
        verbose_name = _("article moderation rule")
        verbose_name_plural = _("article moderation rules")

    def __str__(self):
        return f"{self.article} – {self.get_moderation_display()}"

    def get_absolute_url(self):
        return self.article.get_absolute_url()


class CommentEdit(models.Model):
    """When a reader last changed their own comment, within COMMENTS_EDIT_MINUTES of posting it.

    The comment itself stays a stock ``XtdComment`` row (its text is updated in
    place); this only lets the thread say "edited", and when.
    """

    comment = models.OneToOneField(
        XtdComment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        related_name="reader_edit",
    )
    edited_at = models.DateTimeField(_("edited at"))

    class Meta:
        ordering = ["-edited_at"]
        verbose_name = _("comment edit")
        verbose_name_plural = _("comment edits")

    def __str__(self):
        return f"{self.comment_id} – {self.edited_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return self.comment.get_absolute_url()
