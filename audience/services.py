"""Writes of the audience figures: the beacon's count, and the flush into the database."""

import datetime
import logging
import re
import time
from dataclasses import dataclass

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from blog.models import Article

from . import buffer
from .models import DailyReferrer, DailyViews, FlushedBucket

logger = logging.getLogger(__name__)

# The crawler list is compiled once; ``is_crawler`` keeps no state that its answer depends on.
crawlers = CrawlerDetect()

DOMAIN_RE = re.compile(
    r"^(?=.{1,100}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$"
)
MAX_ARTICLE_ID = 2**31 - 1


def is_bot(user_agent: str) -> bool:
    """No user agent at all, or one on crawlerdetect's maintained list."""
    user_agent = user_agent.strip()
    return not user_agent or crawlers.is_crawler(user_agent[:1000])


def referrer_domain(value: str, *, own_host: str) -> str:
    """The referring site's domain, without "www.", or "" if none, ours, or not a domain name."""
    domain = value.strip().lower().rstrip(".")
    if not DOMAIN_RE.match(domain):
        return ""
    own = own_host.lower().split(":")[0]
    if domain == own or domain.removeprefix("www.") == own.removeprefix("www."):
        return ""
    return domain.removeprefix("www.")


def article_id_of(value: str) -> int | None:
    if not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    article_id = int(value)
    return article_id if 0 < article_id <= MAX_ARTICLE_ID else None


def view_count(*, article_id: int, domain: str = "", stamp: float | None = None) -> bool:
    """Buffer one view of an article today; False if it was dropped (cache down or full).

    Nothing about the reader is kept: the day is the site's (TIME_ZONE), the
    referrer only a domain. The article is not looked up (no query per view):
    the flush drops counts of articles that do not exist.
    """
    day = timezone.localdate(
        None if stamp is None else datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)
    )
    try:
        return buffer.record(article_id=article_id, day=day, domain=domain, stamp=stamp)
    except ValueError:  # a key expired between add() and incr(): a view lost, nothing worse
        return False
    # The cache backends raise their own connection errors (redis, memcached...).
    except Exception:
        logger.warning("A page view was not counted: the cache does not answer.", exc_info=True)
        return False


@dataclass
class FlushResult:
    buckets: int = 0
    views: int = 0
    rows: int = 0
    dropped: int = 0


def counts_flush(*, now: float | None = None, dry_run: bool = False) -> FlushResult:
    """Write the closed buckets' counts into the database, each bucket once.

    All the closed buckets are summed in memory first, so the database sees one
    write per (article, day) and per (article, day, domain), whatever the number
    of views. The buckets' ``FlushedBucket`` rows are inserted first, in the
    same transaction as the counts: a second flush running at once waits for
    them and then fails on the unique bucket (its work is already done), and a
    flush that fails half-way leaves the buckets to the next one.
    """
    now = time.time() if now is None else now
    candidates = buffer.closed_buckets(now=now)
    if candidates:
        done = set(FlushedBucket.objects.filter(bucket__gte=candidates[0]).values_list("bucket", flat=True))
        candidates = [bucket for bucket in candidates if bucket not in done]
    used, totals = buffer.read(candidates)
    result = FlushResult(buckets=len(used))
    if not used:
        return result
    per_day: dict[tuple[int, datetime.date], int] = {}
    per_domain: dict[tuple[int, datetime.date, str], int] = {}
    for name, views in totals.items():
        article_id, day, domain = buffer.parse_member(name)
        per_day[article_id, day] = per_day.get((article_id, day), 0) + views
        if domain:
            per_domain[article_id, day, domain] = per_domain.get((article_id, day, domain), 0) + views
    existing = set(Article.objects.filter(pk__in={key[0] for key in per_day}).values_list("pk", flat=True))
    result.dropped = sum(views for (article_id, _day), views in per_day.items() if article_id not in existing)
    result.views = sum(per_day.values()) - result.dropped
    if dry_run:
        return result
    try:
        with transaction.atomic():
            FlushedBucket.objects.bulk_create([FlushedBucket(bucket=bucket) for bucket in sorted(used)])
            for (article_id, day), views in per_day.items():
                if article_id in existing:
                    result.rows += _add(DailyViews, views, article_id=article_id, day=day)
            for (article_id, day, domain), views in per_domain.items():
                if article_id in existing:
                    result.rows += _add(DailyReferrer, views, article_id=article_id, day=day, domain=domain)
    except IntegrityError:
        logger.info("Another flush wrote these periods first; nothing to do.")
        return FlushResult()
    buffer.forget(used)
    oldest = buffer.bucket_of(now - settings.AUDIENCE_BUFFER_SECONDS)
    FlushedBucket.objects.filter(bucket__lt=oldest).delete()
    return result


def _add(model, views: int, **lookup) -> int:
    """Add ``views`` to the row of ``lookup``, created if missing: one write in the usual case."""
    if model.objects.filter(**lookup).update(views=F("views") + views):
        return 1
    try:
        with transaction.atomic():
            model.objects.create(views=views, **lookup)
    except IntegrityError:  # created meanwhile by a flush of other buckets
        model.objects.filter(**lookup).update(views=F("views") + views)
    return 1
