"""Headers that tell an HTTP cache whether it may keep a response, how long, and what it shows."""

from django.conf import settings
from django.utils.cache import patch_cache_control

from .invalidation import SITE

KEY_HEADERS = ("Surrogate-Key", "xkey", "Cache-Tag")


def share(response, *, keys=(), max_age=None):
    """Mark ``response`` as the same for every anonymous reader, depending on ``keys``.

    Browsers revalidate it (``max-age``, by default 0, with its ETag); shared
    caches keep it ``max_age`` seconds (``s-maxage``) unless purged sooner.
    ``PageCacheMiddleware`` makes it private again for a reader it does not
    suit (signed in, pending messages).
    """
    if max_age is None:
        max_age = settings.CACHE_SHARED_MAX_AGE
    patch_cache_control(
        response, public=True, max_age=settings.CACHE_BROWSER_MAX_AGE, s_maxage=max(0, int(max_age))
    )
    keys = list(dict.fromkeys([SITE, *keys]))
    response["Surrogate-Key"] = " ".join(keys)
    response["xkey"] = " ".join(keys)
    response["Cache-Tag"] = ",".join(keys)
    return response


def shared_keys(response):
    """The keys of a response marked by ``share``; None if it is not shareable."""
    if "Surrogate-Key" not in response or "public" not in response.get("Cache-Control", ""):
        return None
    return response["Surrogate-Key"].split()


def shared_max_age(response):
    """The ``s-maxage`` of a shared response, in seconds."""
    for directive in response.get("Cache-Control", "").split(","):
        name, _, value = directive.strip().partition("=")
        if name == "s-maxage" and value.isdigit():
            return int(value)
    return 0


def make_private(response):
    """Only this reader's browser may keep ``response``, and not even on disk."""
    for name in KEY_HEADERS:
        if name in response:
            del response[name]
    if "Cache-Control" in response:
        del response["Cache-Control"]
    patch_cache_control(response, private=True, no_store=True)
    return response
