"""Reads of the blog that several views, feeds and templates share."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone

from caching.invalidation import SITE, versions

from .models import Article


def next_scheduled_change_at() -> datetime.datetime | None:
    """When the public site next changes by itself, or None: the next scheduled
    article going online, or the next published article reaching its end date.

    Read once per version of the site's content (publishing, scheduling or
    setting an end date gives it a new one), not on every page.
    """
    key = f"next-scheduled-change:{versions(SITE)[SITE]}"
    now = timezone.now()
    moment = cache.get(key)
    if moment is None or (moment and moment <= now):
        found = Article.objects.filter(status=Article.Status.PUBLISHED).aggregate(
            publication=Min("published_at", filter=Q(published_at__gt=now)),
            end=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
        )
        moments = [value for value in found.values() if value is not None]
        moment = min(moments) if moments else ""  # "" for none: a value the cache keeps, unlike None
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
    next scheduled publication, nor the next end of publication (an HTTP cache
    must never serve an article past its end date); ``until`` is the page's
    own deadline (a discussion closing).
    """
    deadlines = [
        settings.CACHE_SHARED_MAX_AGE,
        seconds_until(next_scheduled_change_at()),
        seconds_until(until),
    ]
    return min(deadline for deadline in deadlines if deadline is not None)
