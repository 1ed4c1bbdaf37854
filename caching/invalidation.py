"""What a cached page depends on, and telling every cache that it changed.

A public page names what it shows with *keys* (``site`` for every page,
``article-<pk>`` for an article's page and the lists that show it). The same
keys serve two caches:

- an HTTP cache in front (Varnish's ``xkey``, a CDN's surrogate keys) reads
  them from the response's headers; ``purge`` asks it to drop the pages that
  carry them;
- Django's own cache keeps, for each key, a *version*: the moment of its last
  change. A page or fragment built from older versions is never served again.

Writes call ``purge`` (through signals, services and commands); it acts once
the transaction commits, so a page rebuilt meanwhile cannot keep old data.
"""

import logging
import threading
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

# Every public page carries it: purging it empties every cache of the site.
SITE = "site"


def article_key(pk):
    """The key of an article's page and of every list that shows the article."""
    return f"article-{pk}"


def _version_key(key):
    return f"version:{key}"


def versions(*keys):
    """The current version of each key, ``{key: int}``, in one cache read (two for a new key).

    A key the cache does not know (first use, eviction) gets the current time:
    whatever was built before it is built again.
    """
    names = {_version_key(key): key for key in keys}
    found = cache.get_many(list(names))
    missing = [name for name in names if name not in found]
    if missing:
        now = time.time_ns()
        for name in missing:
            cache.add(name, now, timeout=None)
        found.update(cache.get_many(missing))
    return {key: found.get(name, 0) for name, key in names.items()}


_pending = threading.local()


def purge(*keys):
    """Drop what depends on ``keys`` from every cache, once the current transaction commits.

    Outside a transaction it acts at once. Many writes in one transaction (an
    import, a restore) purge each key once.
    """
    if not hasattr(_pending, "keys"):
        _pending.keys = set()
    _pending.keys.update(keys)
    transaction.on_commit(_purge_pending)


def purge_all():
    """Drop every cached page and fragment of the site (after a restore or an import)."""
    purge(SITE)


def _purge_pending():
    keys = sorted(getattr(_pending, "keys", ()))
    if not keys:
        return  # already purged by an earlier callback of the same transaction
    _pending.keys = set()
    purge_now(keys)


def purge_now(keys):
    """New versions in Django's cache, and a purge request to each HTTP cache.

    The change is already committed: a cache that cannot be reached must not
    turn it into an error. It is logged, and its pages stay as they were for
    at most their lifetime (``CACHE_SHARED_MAX_AGE``).
    """
    now = time.time_ns()
    try:
        cache.set_many({_version_key(key): now for key in keys}, timeout=None)
    except Exception:
        logger.exception("Could not renew the cache versions of %s.", " ".join(keys))
    for url in settings.HTTP_CACHE_PURGE_URLS:
        request = urllib.request.Request(url, method="PURGE", headers={"xkey-purge": " ".join(keys)})
        try:
            with urllib.request.urlopen(request, timeout=settings.HTTP_CACHE_PURGE_TIMEOUT):
                pass
        except (OSError, urllib.error.URLError) as error:
            logger.warning("The HTTP cache at %s did not purge %s: %s", url, " ".join(keys), error)
