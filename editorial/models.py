from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleRevision(models.Model):
    """A copy of an article's content as it was after one save.

    The content is kept as plain data (keywords by name, further reading as a
    list) rather than as serialized rows, so an old version stays readable and
    restorable after a keyword was merged away or a link was deleted.
    """

    article = models.ForeignKey(
        "blog.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.CharField(_("comment"), max_length=255, blank=True)
    data = models.JSONField(_("content"), default=dict)

    class Meta:
        # The table kept its name when versions left the blog app.
        db_table = "blog_articlerevision"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")

    def __str__(self):
        return _("%(title)s, version of %(date)s") % {
            "title": self.data.get("title", ""),
            "date": timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        }


class ArticleAutosave(models.Model):
    """What an editor was typing in an article's form, kept every few seconds.

    Never the article itself: the article changes only when its form is saved,
    which deletes this copy. One per editor and article, and one per editor
    for an article not saved yet (``article`` empty).
    """

    article = models.ForeignKey(
        "blog.Article",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="autosaves",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editor"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    data = models.JSONField(_("content"), default=dict)
    based_on = models.DateTimeField(
        _("based on the version of"),
        null=True,
        blank=True,
        help_text=_("When the article the editor had opened was last saved."),
    )
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        ordering = ["-saved_at", "-pk"]
        verbose_name = _("autosaved draft")
        verbose_name_plural = _("autosaved drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"],
                condition=models.Q(article__isnull=False),
                name="autosave_one_per_article_and_user",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="autosave_one_new_article_per_user",
            ),
        ]

    def __str__(self):
        return _("%(title)s, autosaved at %(date)s") % {
            "title": self.data.get("title", "") or _("untitled"),
            "date": timezone.localtime(self.saved_at).strftime("%Y-%m-%d %H:%M:%S"),
        }
