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
    page cache finds it without a query. Its record holds the moment the
    discussion closes with age, so that the form disappears at that moment.

A new public comment replaces ``lists`` and its article's generation only: the
other articles' pages and the sidebar stay cached.

A generation is the time of the change in nanoseconds: a value lost by the cache
(eviction, restart) is replaced by a new one that cannot collide with an old key,
and it doubles as the pages' Last-Modified date.
"""

import contextlib
import contextvars
import datetime
import hashlib
import logging
import pickle
import threading
import time

import cachetools
from django.conf import settings
from django.core.cache import caches
from django.db import transaction

logger = logging.getLogger(__name__)

CONTENT = "content"
LISTS = "lists"
# Read by nearly every page (sidebar, summaries): fetched with any other scope.
COMMON_SCOPES = (CONTENT, LISTS)

# The generations read during the current request (see request_snapshot).
_snapshot = contextvars.ContextVar("page_cache_generations", default=None)


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


def _discussion_closing(scope):
    """When the discussion of the article named by ``scope`` closes by itself (a Unix time), or None."""
    from comments.selectors import discussion_closes_at

    from .models import Article

    day, _, slug = scope.removeprefix("article:").partition("/")
    try:
        day = datetime.date.fromisoformat(day)
    except ValueError:  # an address with an impossible date: no such article
        return None
    article = Article.objects.published().filter(publication_date=day, slug=slug).only("published_at").first()
    closes_at = discussion_closes_at(article) if article is not None else None
    return closes_at.timestamp() if closes_at is not None and closes_at.timestamp() > time.time() else None


def _new_record(scope):
    """A new generation, and the moment it falls due by itself (or None).

    The content falls due when the next scheduled article goes live; an
    article's page when its discussion closes with age.
    """
    generation = time.time_ns()
    if scope == CONTENT:
        return (generation, _next_publication())
    if scope.startswith("article:"):
        return (generation, _discussion_closing(scope))
    return (generation, None)


def generations(*scopes):
    """The current generation of each scope, in one cache round trip.

    A scope the cache does not know (first use, eviction, cache down) gets a new
    generation; the ``content`` scope also gets a new one once its next
    scheduled publication has come.
    """
    return generations_and(None, *scopes)[0]


def generations_and(key, *scopes):
    """The generations of ``scopes`` and the cached value of ``key``, in one round trip.

    Within a request (see ``request_snapshot``) each scope is read once: the
    page and all its fragments are built from the same generations, and the
    common scopes come with the first read, so a page costs one round trip
    for all of them.
    """
    snapshot = _snapshot.get()
    if snapshot is None:
        wanted = scopes
        known = {}
    else:
        wanted = [scope for scope in dict.fromkeys([*scopes, *COMMON_SCOPES]) if scope not in snapshot]
        known = snapshot
    if not wanted and key is None:
        return {scope: known[scope] for scope in scopes}, None
    cache = get_cache()
    keys = {scope: _key(scope) for scope in wanted}
    found = cache.get_many([*keys.values(), *([key] if key else [])])
    current = {**known, **_current(cache, keys, found)}
    if snapshot is not None:
        snapshot.update(current)
    return {scope: current[scope] for scope in scopes}, found.get(key) if key else None


@contextlib.contextmanager
def request_snapshot():
    """Read each generation at most once until the block ends (one request)."""
    token = _snapshot.set({})
    try:
        yield
    finally:
        _snapshot.reset(token)


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
    snapshot = _snapshot.get()
    if snapshot is not None:
        # What this request renders from now on is built from the new generations.
        for scope in scopes:
            snapshot.pop(scope, None)
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
    value = get_many([key]).get(key)
    if value is None:
        value = build()
        set_many({key: value})
    return value


class _LocalCopies:
    """This process's copies of entries that never change, bounded in bytes.

    An entry whose key contains the generations it was built from is never
    replaced: a change makes new keys. So each process may keep a copy and
    skip the shared cache's round trip. Strings and bytes are kept as they are
    (they cannot be modified); other values are kept pickled, so each reader
    gets its own copy, as from the shared cache. Copies also expire after
    PAGE_CACHE_TIMEOUT, like the shared entries.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._store = None
        self._settings = None

    def _entries(self):
        wanted = (settings.PAGE_CACHE_LOCAL_BYTES, settings.PAGE_CACHE_TIMEOUT)
        if self._settings != wanted:
            self._store = cachetools.TTLCache(maxsize=wanted[0], ttl=wanted[1], getsizeof=_size)
            self._settings = wanted
        return self._store

    def get_many(self, keys):
        with self._lock:
            store = self._entries()
            found = {key: store[key] for key in keys if key in store}
        return {
            key: pickle.loads(value) if isinstance(value, _Pickled) else value for key, value in found.items()
        }

    def set_many(self, mapping):
        if not settings.PAGE_CACHE_LOCAL_BYTES:
            return
        values = {
            key: value
            if isinstance(value, (str, bytes))
            else _Pickled(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
            for key, value in mapping.items()
        }
        with self._lock:
            store = self._entries()
            for key, value in values.items():
                if _size(value) <= store.maxsize:
                    store[key] = value

    def clear(self):
        with self._lock:
            self._store = None
            self._settings = None


class _Pickled(bytes):
    """A value kept pickled in this process's copies."""


def _size(value):
    return len(value) + 100


local_copies = _LocalCopies()


def get_many(keys):
    """Entries of never-changing keys (built from generations): local copies first, then the shared cache."""
    found = local_copies.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        shared = get_cache().get_many(missing)
        local_copies.set_many(shared)
        found.update(shared)
    return found


def set_many(mapping):
    """Store entries of never-changing keys in the shared cache and in this process's copies."""
    get_cache().set_many(mapping, timeout=settings.PAGE_CACHE_TIMEOUT)
    local_copies.set_many(mapping)
