"""The cache buffer the beacon counts into, and the flush reads from.

Views are counted per period of AUDIENCE_BUCKET_SECONDS (a "bucket"). In each
bucket, one counter per (article, day, referring domain), a "member": every
view does ``cache.incr``; when the counter is missing (the member's first
view in the bucket), ``cache.add`` creates it and registers the member in the
bucket's index (a counter giving it a slot, then the slot naming the member);
of two views racing there, only the one whose ``add`` wins registers it. A
flush reads only buckets that closed at least one full period ago, so nothing
writes into a bucket while it is read: no read-and-reset is needed, and an
increment cannot fall between a read and a reset.

Atomicity of ``incr`` per backend (checked by tests/audience with each):
- Redis (Django's or django-redis): INCR, atomic across every process.
- locmem: atomic under the backend's lock, but each process has its own
  cache: with several server processes, each keeps its own counts, and a flush
  run elsewhere (the worker) does not see them. Use Redis in production.
- file-based and database caches: ``incr`` is a read then a write, so views
  counted at the same instant by two processes can be lost (counts are low,
  never high). Fine for a small site; use Redis for exact figures.

Keys live AUDIENCE_BUFFER_SECONDS: a bucket that no flush reads in that time
is lost (the flush job runs every few minutes).
"""

import datetime
import time

from django.conf import settings
from django.core.cache import cache

PREFIX = "audience"


def bucket_of(stamp: float) -> int:
    """The start (Unix seconds) of the bucket that ``stamp`` falls in."""
    size = settings.AUDIENCE_BUCKET_SECONDS
    return int(stamp) - int(stamp) % size


def member(*, article_id: int, day: datetime.date, domain: str) -> str:
    return f"{article_id}|{day.isoformat()}|{domain}"


def parse_member(text: str) -> tuple[int, datetime.date, str]:
    article_id, day, domain = text.split("|", 2)
    return int(article_id), datetime.date.fromisoformat(day), domain


def index_key(bucket: int) -> str:
    return f"{PREFIX}:{bucket}:n"


def slot_key(bucket: int, slot: int) -> str:
    return f"{PREFIX}:{bucket}:s:{slot}"


def count_key(bucket: int, name: str) -> str:
    return f"{PREFIX}:{bucket}:c:{name}"


def record(*, article_id: int, day: datetime.date, domain: str, stamp: float | None = None) -> bool:
    """Count one view in the current bucket; False if the bucket is full (AUDIENCE_MAX_KEYS_PER_BUCKET).

    Cache errors are left to the caller (the beacon drops the view).
    """
    bucket = bucket_of(time.time() if stamp is None else stamp)
    name = member(article_id=article_id, day=day, domain=domain)
    key = count_key(bucket, name)
    try:
        cache.incr(key)  # the usual case, one call: the member is already counting in this bucket
        return True
    except ValueError:
        pass
    timeout = settings.AUDIENCE_BUFFER_SECONDS
    if cache.add(key, 0, timeout=timeout):
        # First view of this member in the bucket: give it a slot in the index.
        cache.add(index_key(bucket), 0, timeout=timeout)
        slot = cache.incr(index_key(bucket))
        if slot > settings.AUDIENCE_MAX_KEYS_PER_BUCKET:
            # A flood of made-up members: count no new ones until the next bucket.
            return False
        cache.set(slot_key(bucket, slot), name, timeout=timeout)
    cache.incr(key)
    return True


def closed_buckets(*, now: float) -> list[int]:
    """Buckets still in the cache that closed at least one full period before ``now``."""
    size = settings.AUDIENCE_BUCKET_SECONDS
    last = bucket_of(now) - 2 * size  # the bucket before the previous one
    first = bucket_of(now - settings.AUDIENCE_BUFFER_SECONDS)
    return list(range(first, last + 1, size))


def read(buckets: list[int]) -> tuple[dict[int, int], dict[str, int]]:
    """(slots used per bucket, views per member summed over ``buckets``), in three round trips."""
    if not buckets:
        return {}, {}
    found = cache.get_many([index_key(bucket) for bucket in buckets])
    used = {bucket: int(found[index_key(bucket)]) for bucket in buckets if found.get(index_key(bucket))}
    slots = [
        (bucket, slot_key(bucket, slot))
        for bucket, count in used.items()
        for slot in range(1, min(count, settings.AUDIENCE_MAX_KEYS_PER_BUCKET) + 1)
    ]
    names = cache.get_many([key for _bucket, key in slots])
    counted = [(bucket, names[key]) for bucket, key in slots if key in names]
    values = cache.get_many([count_key(bucket, name) for bucket, name in counted])
    totals: dict[str, int] = {}
    for bucket, name in counted:
        views = int(values.get(count_key(bucket, name)) or 0)
        if views:
            totals[name] = totals.get(name, 0) + views
    return used, totals


def forget(used: dict[int, int]) -> None:
    """Delete the keys of flushed buckets (they would expire anyway)."""
    keys = []
    for bucket, count in used.items():
        slots = [
            slot_key(bucket, slot) for slot in range(1, min(count, settings.AUDIENCE_MAX_KEYS_PER_BUCKET) + 1)
        ]
        names = cache.get_many(slots)
        keys += [index_key(bucket), *slots, *(count_key(bucket, name) for name in names.values())]
    cache.delete_many(keys)
