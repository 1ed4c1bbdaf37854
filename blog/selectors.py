"""Reads of the blog that several views, feeds and templates share."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from caching.invalidation import SITE, versions

from .models import Article


def next_publication_at() -> datetime.datetime | None:
    """When the next scheduled article goes online, or None.

    Read once per version of the site's content (publishing or scheduling
    gives it a new one), not on every page.
    """
    key = f"next-publication:{versions(SITE)[SITE]}"
    now = timezone.now()
    moment = cache.get(key)
    if moment is None or (moment and moment <= now):
        moment = (
            Article.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        moment = moment or ""  # "" for none: a value the cache keeps, unlike None
        cache.set(key, moment, timeout=settings.CACHE_SHARED_MAX_AGE)
    return moment or None


def seconds_until(moment: datetime.datetime | None) -> int | None:
    """Whole seconds from now until ``moment`` (at least 1), or None without one."""
    if moment is None:
        return None
    return max(1, int((moment - timezone.now()).total_seconds()))


def page_lifetime(*, until: datetime.datetime | None = None) -> int:
    """How long a public page may be kept: CACHE_SHARED_MAX_AGE, less when it changes sooner by itself.

    Every page shows the latest articles (its sidebar), so none outlives the
    next scheduled publication; ``until`` is the page's own deadline (a
    discussion closing).
    """
    deadlines = [settings.CACHE_SHARED_MAX_AGE, seconds_until(next_publication_at()), seconds_until(until)]
    return min(deadline for deadline in deadlines if deadline is not None)
