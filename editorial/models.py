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
