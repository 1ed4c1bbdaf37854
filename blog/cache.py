"""Generations: how cached pages and fragments are invalidated exactly, without flushing.

Nothing cached is ever deleted. The key of every cached page, fragment or count
contains the *generation* of the scopes it depends on; a change replaces those
generations, so the next request builds new keys and the old entries simply
expire. The scopes:

``content``
    What editors change: articles, categories, keywords, flat pages. Every
    public page and the sidebar depend on it. Its record also holds the moment
    the next scheduled article goes live, so that publication invalidates the
    pages at that moment, with no job to run.
``lists``
    Pages that list articles with their comment counts (home, categories,
    keywords, authors, archives, search, feeds).
``article:<yyyy-mm-dd>/<slug>``
    One article's page, with its discussion. Named after the address, so the
    page cache finds it without a query.

A new public comment replaces ``lists`` and its article's generation only: the
other articles' pages and the sidebar stay cached.

A generation is the time of the change in nanoseconds: a value lost by the cache
(eviction, restart) is replaced by a new one that cannot collide with an old key,
and it doubles as the pages' Last-Modified date.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

logger = logging.getLogger(__name__)

CONTENT = "content"
LISTS = "lists"


def get_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _key(scope):
    return f"{settings.PAGE_CACHE_PREFIX}:gen:{scope}"


def article_scope(*, publication_date, slug):
    """The scope of one article's page, from the parts of its address."""
    return f"article:{publication_date:%Y-%m-%d}/{slug}"


def _next_publication():
    """When the next scheduled article goes live (a Unix time), or None."""
    from .models import Article

    moment = Article.objects.scheduled().order_by("published_at").values_list("published_at", flat=True)
    first = moment.first()
    return first.timestamp() if first else None


def _new_record(scope):
    generation = time.time_ns()
    if scope == CONTENT:
        return (generation, _next_publication())
    return (generation, None)


def generations(*scopes):
    """The current generation of each scope, in one cache round trip.

    A scope the cache does not know (first use, eviction, cache down) gets a new
    generation; the ``content`` scope also gets a new one once its next
    scheduled publication has come.
    """
    return generations_and(None, *scopes)[0]


def generations_and(key, *scopes):
    """The generations of ``scopes`` and the cached value of ``key``, in one round trip."""
    cache = get_cache()
    keys = {scope: _key(scope) for scope in scopes}
    found = cache.get_many([*keys.values(), *([key] if key else [])])
    return _current(cache, keys, found), found.get(key) if key else None


def _current(cache, keys, found):
    result = {}
    for scope, key in keys.items():
        record = found.get(key)
        due = record is not None and record[1] is not None and record[1] <= time.time()
        if record is None or due:
            record = _new_record(scope)
            cache.set(key, record, timeout=None)
        result[scope] = record[0]
    return result


def bump(*scopes):
    """Give each scope a new generation now: what depended on it is rebuilt on next use.

    The change that calls it is already committed: a cache that cannot be
    reached must not turn it into an error page. Pages then stay as they were
    until the cache is back and a later change, or PAGE_CACHE_TIMEOUT.
    """
    try:
        get_cache().set_many({_key(scope): _new_record(scope) for scope in scopes}, timeout=None)
    except Exception:
        logger.exception("Could not invalidate the cached pages of %s.", ", ".join(scopes))


def bump_on_commit(*scopes):
    """Replace the generations once the current transaction is committed.

    Before the commit, another request could rebuild a page from the old data
    and store it under the new generation.
    """
    transaction.on_commit(lambda: bump(*scopes))


def fragment_key(name, *parts):
    """A cache key for a fragment that depends on the given generations or values."""
    raw = ":".join(str(part) for part in parts)
    digest = hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()
    return f"{settings.PAGE_CACHE_PREFIX}:{name}:{digest}"


def cached_fragment(name, build, *, scopes=(CONTENT,), vary=()):
    """Return the cached value of ``build()`` for the current generations of ``scopes``."""
    if not settings.FRAGMENT_CACHE_ENABLED:
        return build()
    current = generations(*scopes)
    key = fragment_key(name, *(current[scope] for scope in scopes), *vary)
    cache = get_cache()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=settings.PAGE_CACHE_TIMEOUT)
    return value
