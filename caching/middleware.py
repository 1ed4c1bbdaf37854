"""Anonymous readers' pages from Django's cache, and the cache policy of every response."""

import hashlib
import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.utils.translation import get_language

from . import headers
from .invalidation import versions

logger = logging.getLogger(__name__)


def _ignored(name):
    return any(
        name.startswith(pattern[:-1]) if pattern.endswith("*") else name == pattern
        for pattern in settings.IGNORED_QUERY_PARAMETERS
    )


class IgnoredParametersMiddleware:
    """Reads a GET's query string without the parameters that sharing adds (``utm_*``, ``fbclid``…).

    They are for analytics scripts, which read them from the address bar; the
    page is the same without them. Kept, each click on a shared link would be
    a new page for the caches, and links on the page (pagination) would carry
    one reader's campaign to the next.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and any(_ignored(name) for name in request.GET):
            kept = [
                (name, value)
                for name, values in request.GET.lists()
                if not _ignored(name)
                for value in values
            ]
            request.GET = QueryDict(urlencode(kept))
        return self.get_response(request)


def is_anonymous_read(request):
    """A GET or HEAD from a reader with no session and no pending message: public pages suit them."""
    return request.method in ("GET", "HEAD") and not any(
        name in request.COOKIES for name in settings.PAGE_CACHE_BYPASS_COOKIES
    )


class PageCacheMiddleware:
    """Sets every response's cache policy, and serves anonymous readers from Django's cache.

    A response that its view marked shareable (``headers.share``) stays public
    only for an anonymous reader and if it sets no cookie; any other response
    without a policy of its own becomes ``private, no-store``.

    With ``PAGE_CACHE_ENABLED``, a shareable page is also kept in Django's
    cache under its address, with the versions of its keys: it is served
    again, without running the view, while none of them changed and for its
    ``s-maxage``. First in ``MIDDLEWARE``: a page is kept with the headers
    the other layers added (security, CSP) and served without them running.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_read(request):
            return self._policy(request, self.get_response(request))
        key = self._key(request) if settings.PAGE_CACHE_ENABLED else None
        if key is not None:
            cached = self._lookup(key)
            if cached is not None:
                return cached
        started = time.time_ns()
        response = self._policy(request, self.get_response(request))
        if key is not None and request.method == "GET":
            self._store(key, response, started)
        return response

    @staticmethod
    def _policy(request, response):
        keys = headers.shared_keys(response)
        if keys is None:
            if "Cache-Control" not in response:
                headers.make_private(response)
        elif not is_anonymous_read(request) or response.cookies or response.status_code != 200:
            headers.make_private(response)
        else:
            # The page is the same whatever the cookies of a reader without a
            # session: the session middleware's "Vary: Cookie" (added because
            # the template asked whether the reader is signed in) would only
            # split the caches' entries by each reader's cookies.
            vary = [value.strip() for value in response.get("Vary", "").split(",") if value.strip()]
            kept = [value for value in vary if value.lower() != "cookie"]
            if kept != vary:
                del response["Vary"]
                if kept:
                    response["Vary"] = ", ".join(kept)
        return response

    @staticmethod
    def _key(request):
        address = f"{request.scheme}://{request.get_host()}{request.path}?{request.GET.urlencode()}"
        digest = hashlib.md5(f"{address}|{get_language()}".encode(), usedforsecurity=False).hexdigest()
        return f"page:{digest}"

    @staticmethod
    def _lookup(key):
        try:
            entry = cache.get(key)
            if entry is None:
                return None
            built_from, response = entry
            if versions(*built_from) != built_from:
                return None
        except Exception:
            # The cache is down: the view renders the page.
            logger.warning("The page cache could not be read.", exc_info=True)
            return None
        response["X-Page-Cache"] = "hit"
        return response

    @staticmethod
    def _store(key, response, started):
        keys = headers.shared_keys(response)
        lifetime = headers.shared_max_age(response) if keys else 0
        if not lifetime or response.streaming:
            return
        try:
            current = versions(*keys)
            if any(version > started for version in current.values()):
                return  # changed while the page was built: it may show the former content
            cache.set(key, (current, response), timeout=lifetime)
        except Exception:
            logger.warning("The page cache could not be written.", exc_info=True)
