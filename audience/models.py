"""Page views per article and day, with no reader in them.

A row holds a number and what it counts (an article, a day, a referring
domain): nothing about a reader, no address, no identifier. The counts are
buffered in the cache by the beacon and written here by ``services.counts_flush``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from blog.models import Article


class DailyViews(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        ordering = ["-day", "-views"]
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="audience_daily_views_unique"),
        ]
        indexes = [models.Index(fields=["day", "article"], name="audience_daily_day_idx")]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.views}"

    def get_absolute_url(self):
        return self.article.get_absolute_url()


class DailyReferrer(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    day = models.DateField(_("day"))
    domain = models.CharField(
        _("referring domain"), max_length=100, help_text=_("The other site's domain name, never its address.")
    )
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        ordering = ["-day", "-views"]
        verbose_name = _("referring domain")
        verbose_name_plural = _("referring domains")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "day", "domain"], name="audience_daily_referrer_unique"
            ),
        ]
        indexes = [models.Index(fields=["day", "domain"], name="audience_referrer_day_idx")]

    def __str__(self):
        return f"{self.domain} → {self.article_id} {self.day}: {self.views}"

    def get_absolute_url(self):
        return self.article.get_absolute_url()


class FlushedBucket(models.Model):
    """A closed period of the cache buffer already written here: flushed once, never twice.

    Inserted in the same transaction as the counts it brought, so that two
    flushes running at once, or a flush that fails half-way, neither double
    nor lose a period (see ``services.counts_flush``).
    """

    bucket = models.BigIntegerField(
        _("period"), unique=True, help_text=_("Start of the period, in Unix seconds.")
    )
    flushed_at = models.DateTimeField(_("flushed at"), auto_now_add=True)

    class Meta:
        ordering = ["-bucket"]
        verbose_name = _("flushed period")
        verbose_name_plural = _("flushed periods")

    def __str__(self):
        return str(self.bucket)
