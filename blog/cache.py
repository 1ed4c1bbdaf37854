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
import functools
import hashlib
import logging
import os
import pickle
import sys
import threading
import time

import cachetools
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.db import transaction
from django.utils.translation import get_language

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
    if len(scope) > 100:
        # A slug may be 200 characters long, and an address's any length: keys stay short for every backend.
        scope = hashlib.sha1(scope.encode(), usedforsecurity=False).hexdigest()
    return f"{settings.PAGE_CACHE_PREFIX}:gen:{scope}"


def article_scope(*, publication_date, slug):
    """The scope of one article's page, from the parts of its address."""
    return f"article:{publication_date.isoformat()}/{slug}"


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
    """The current generation of each scope, in at most one cache round trip.

    A scope the cache does not know (first use, eviction, cache down) gets a new
    generation; the ``content`` scope also gets a new one once its next
    scheduled publication has come.

    Within a request (see ``request_snapshot``) each scope is read once: the
    page and all its fragments are built from the same generations, and the
    common scopes come with the first read. With Redis, the records this
    process has read are kept until Redis reports a change (``tracker``), so a
    request usually makes no round trip at all.
    """
    snapshot = _snapshot.get()
    if snapshot is None:
        wanted = scopes
        known = {}
    else:
        wanted = [scope for scope in dict.fromkeys([*scopes, *COMMON_SCOPES]) if scope not in snapshot]
        known = snapshot
    if wanted:
        records, mark = tracker.records(wanted)
        missing = [scope for scope in wanted if scope not in records]
        if missing:
            cache = get_cache()
            keys = {scope: _key(scope) for scope in missing}
            fetched = _current(cache, keys, cache.get_many(list(keys.values())))
            tracker.remember(fetched, mark)
            records.update(fetched)
        current = {**known, **{scope: record[0] for scope, record in records.items()}}
        if snapshot is not None:
            snapshot.update(current)
    else:
        current = known
    return {scope: current[scope] for scope in scopes}


@contextlib.contextmanager
def request_snapshot():
    """Read each generation at most once until the block ends (one request)."""
    token = _snapshot.set({})
    try:
        yield
    finally:
        _snapshot.reset(token)


def _current(cache, keys, found):
    """The record of each scope of ``keys`` (scope → key), from ``found``, or a new one if due."""
    result = {}
    for scope, key in keys.items():
        record = found.get(key)
        if record is None or _due(record):
            record = _new_record(scope)
            cache.set(key, record, timeout=_lifetime(scope))
        result[scope] = record
    return result


def _lifetime(scope):
    """How long a scope's record is kept: the shared scopes for good, an article's as long as its pages.

    Any address shaped like an article's names a scope, whether or not an
    article is there: such records must not pile up. A lost record only means
    a new generation, so the pages built from it are built again.
    """
    return settings.PAGE_CACHE_TIMEOUT if scope.startswith("article:") else None


def _due(record):
    return record[1] is not None and record[1] <= time.time()


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
        for lifetime in {_lifetime(scope) for scope in scopes}:
            get_cache().set_many(
                {_key(scope): _new_record(scope) for scope in scopes if _lifetime(scope) == lifetime},
                timeout=lifetime,
            )
    except Exception:
        logger.exception("Could not invalidate the cached pages of %s.", ", ".join(scopes))
    # Redis tells every process, this one included; this process need not wait.
    tracker.forget(scopes)


def bump_on_commit(*scopes):
    """Replace the generations once the current transaction is committed.

    Before the commit, another request could rebuild a page from the old data
    and store it under the new generation.
    """
    transaction.on_commit(lambda: bump(*scopes))


class _Tracker:
    """This process's copies of the generation records, which Redis says when to drop.

    A process asks Redis to notify it of every change to a key under the
    generations' prefix (client-side caching's tracking, broadcast mode, on a
    connection of its own). Before each read, it takes in the notifications
    that have arrived: a check of its socket, a few microseconds, instead of a
    round trip. A record whose moment has come (next scheduled publication,
    discussion closing) is read again, as is everything once the connection
    is lost or Redis is flushed. Without Redis, or if Redis refuses tracking,
    every read goes to the cache as before.

    The notification of a change made by another process is sent by Redis as
    the change is made: a request that starts after it has reached this
    process sees the change. A change made by this process is applied at once
    (``forget``).
    """

    # Seconds before a lost or refused tracking connection is tried again.
    RETRY_AFTER = 5

    def __init__(self):
        self._lock = threading.Lock()
        # Counts the changes taken in (and resets): a record read from Redis is
        # kept only if none came in meanwhile, since its notice may be among them.
        self._changes = 0
        self._reset(retry_at=0)

    def _reset(self, *, retry_at):
        self._connection = None
        self._pid = os.getpid()
        self._prefix = None
        self._records = {}
        self._scopes_by_key = {}
        self._retry_at = retry_at
        self._changes += 1

    def records(self, scopes):
        """The kept records of ``scopes`` that are not due, and the mark to pass to ``remember``."""
        with self._lock:
            if not self._ready():
                return {}, None
            records = {scope: self._records[scope] for scope in scopes if scope in self._records}
            return {scope: record for scope, record in records.items() if not _due(record)}, self._changes

    def remember(self, records, mark):
        """Keep ``records`` (scope → record), read from Redis after ``records`` returned ``mark``."""
        with self._lock:
            if mark is None or mark != self._changes:
                return
            for scope, record in records.items():
                self._records[scope] = record
                self._scopes_by_key[self._redis_key(scope)] = scope

    def forget(self, scopes):
        with self._lock:
            self._changes += 1
            for scope in scopes:
                self._records.pop(scope, None)

    def clear(self):
        """Forget everything and close the tracking connection (tests, settings changes)."""
        with self._lock:
            self.clear_locked()

    def clear_locked(self):
        if self._connection is not None and self._pid == os.getpid():
            self._connection.disconnect()
        self._reset(retry_at=0)

    def _ready(self):
        """Take in the notifications received; False if records cannot be kept now."""
        if not settings.PAGE_CACHE_TRACKING:
            return False
        if self._pid != os.getpid():
            # A new process (a forked server worker) opens its own connection.
            self._reset(retry_at=0)
        if self._connection is not None and self._prefix != self._redis_key(""):
            self.clear_locked()
        if self._connection is None and not self._connect():
            return False
        try:
            while self._connection.can_read(timeout=0):
                self._connection.read_response(push_request=True)
        except Exception:
            logger.warning("Lost the cache's change notifications; generations are read from it for now.")
            self._connection.disconnect()
            self._reset(retry_at=time.monotonic() + self.RETRY_AFTER)
            return False
        return True

    def _connect(self):
        if time.monotonic() < self._retry_at:
            return False
        client = _redis_client()
        if client is None:
            # Not Redis: its generations are read without a round trip, or not kept.
            self._retry_at = float("inf")
            return False
        prefix = self._redis_key("")
        pool = client.connection_pool
        options = {**pool.connection_kwargs, "protocol": 3}
        options["socket_connect_timeout"] = min(options.get("socket_connect_timeout") or 1, 1)
        connection = pool.connection_class(**options)
        try:
            connection.connect()
            connection._parser.set_invalidation_push_handler(self._invalidated)
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", prefix)
            connection.read_response()
        except Exception:
            # Redis down (its own errors are reported where it is used), or tracking refused.
            logger.info("No change notifications from the cache; generations are read from it for now.")
            connection.disconnect()
            self._retry_at = time.monotonic() + self.RETRY_AFTER
            return False
        self._connection = connection
        self._prefix = prefix
        self._records.clear()
        self._scopes_by_key.clear()
        self._changes += 1
        return True

    def _invalidated(self, message):
        # ["invalidate", [key, ...]], or ["invalidate", None] when Redis was flushed.
        self._changes += 1
        keys = message[1]
        if keys is None:
            self._records.clear()
            self._scopes_by_key.clear()
            return
        for key in keys:
            scope = self._scopes_by_key.pop(key.decode() if isinstance(key, bytes) else key, None)
            if scope is not None:
                self._records.pop(scope, None)

    @staticmethod
    def _redis_key(scope):
        return get_cache().make_key(_key(scope))


def _redis_client():
    """The Redis client of django-redis behind the page cache, or None for another backend."""
    client = getattr(get_cache(), "client", None)
    if client is None or not hasattr(client, "get_client"):
        return None
    try:
        redis = client.get_client(write=True)
    except Exception:
        return None
    return redis if hasattr(redis, "connection_pool") else None


tracker = _Tracker()


# What builds cached markup: a new release of any of these must not serve markup built by the former one.
RELEASE_SOURCES = ("templates", "blog", "comments", "config", "locale")
RELEASE_SUFFIXES = (".html", ".py", ".mo", ".txt")


@functools.cache
def code_release():
    """A digest of the project's templates, code and compiled translations, read once per process."""
    digest = hashlib.sha1(usedforsecurity=False)
    for source in RELEASE_SOURCES:
        for path in sorted((settings.BASE_DIR / source).rglob("*")):
            if path.suffix in RELEASE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def release():
    """What names the release in every key: ``code_release`` and the static files' manifest.

    Markup links to a stylesheet or a script by its hashed name. The storage
    reads its manifest once per process, so this is read once too.
    """
    return f"{code_release()}:{getattr(staticfiles_storage, 'manifest_hash', '')}"


def site_domain():
    """The domain of the admin's *Sites* that absolute links are built on (as this process knows it)."""
    from django.contrib.sites.models import Site

    return Site.objects.get_current().domain


def fragment_key(name, *parts):
    """A cache key for a fragment that depends on the given generations or values.

    It also names the release (``release``) and the site's domain: after a
    deployment, pages and fragments are built again by the new code, without
    changing PAGE_CACHE_PREFIX; after a change of domain, with links to the
    new one.
    """
    raw = ":".join([release(), site_domain(), *(str(part) for part in parts)])
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
        value = _build_once(key, build)
    return value


def cached_per_article(name, ids, build, *, vary=lambda pk: ()):
    """``{pk: value}`` for the articles of ``ids``, each kept per generation of the content and the lists.

    What a list shows of an article (its comment count included) is read for
    the whole list in one round trip, in the current language.
    ``build(missing)`` returns ``{pk: value}`` for the ids not found, which
    are then stored; an id it leaves out (an article gone) is left out.
    """
    if not settings.FRAGMENT_CACHE_ENABLED:
        return build(list(ids))
    current = generations(CONTENT, LISTS)
    language = get_language()
    keys = {pk: fragment_key(name, current[CONTENT], current[LISTS], pk, language, *vary(pk)) for pk in ids}
    found = get_many(list(keys.values()))
    values = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in ids if pk not in values]
    if missing:
        built = build(missing)
        set_many({keys[pk]: value for pk, value in built.items()})
        values.update(built)
    return values


# Seconds a request waits for another one's build of the same entry before building it itself.
BUILD_WAIT = 5


def _build_once(key, build):
    """Build the missing entry ``key``, unless another request is building it: then wait for theirs.

    After a change, every server process misses the same entries at once; the
    costly ones (the keyword cloud reads every tagged article) are built by
    one request while the others wait for the result. A request waits only
    while the builder's mark is in the shared cache: if the builder fails, or
    the cache cannot be reached, it builds the entry itself.
    """
    shared = get_cache()
    building = f"{key}:building"
    if shared.add(building, os.getpid(), timeout=BUILD_WAIT):
        try:
            value = build()
            set_many({key: value})
            return value
        finally:
            shared.delete(building)
    deadline = time.monotonic() + BUILD_WAIT
    while time.monotonic() < deadline:
        found = shared.get_many([key, building])
        if found.get(key) is not None:
            local_copies.set_many({key: found[key]})
            return found[key]
        if building not in found:
            break
        time.sleep(0.005)
    value = build()
    set_many({key: value})
    return value


class _LocalCopies:
    """This process's copies of entries that never change, bounded in bytes.

    An entry whose key contains the generations it was built from is never
    replaced: a change makes new keys. So each process may keep a copy and
    skip the shared cache's round trip. Values that cannot be modified
    (strings, bytes, numbers, and tuples of them, such as a cached page) are
    kept as they are; other values are kept pickled, so each reader gets its
    own copy, as from the shared cache. Copies also expire after
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
            key: value if _immutable(value) else _Pickled(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
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


_ATOMS = (str, bytes, int, float, datetime.date, type(None))


def _immutable(value):
    """Whether ``value`` can be handed to every reader as it is: no one can modify it."""
    if type(value) is tuple or (isinstance(value, tuple) and hasattr(value, "_fields")):
        return all(_immutable(item) for item in value)
    return isinstance(value, _ATOMS) and not isinstance(value, _Pickled)


def _size(value):
    """About the memory an entry of ``value`` takes, key included, for the bound on the copies."""
    return 200 + _footprint(value)


def _footprint(value):
    """The memory ``value`` and the values of a tuple take.

    A string takes one to four bytes per character, depending on the widest
    one (a "’" makes it two): its length would undercount it.
    """
    if isinstance(value, tuple):
        return sys.getsizeof(value) + sum(map(_footprint, value))
    return sys.getsizeof(value)


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
