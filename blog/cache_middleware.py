"""The anonymous page cache and the benchmark's query counter."""

import functools
from typing import NamedTuple
from urllib.parse import unquote_plus

from django.conf import settings
from django.db import DatabaseError, InterfaceError, connections
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from . import cache as page_cache
from . import reader_values

# Headers that belong to one response, not to the page.
UNCACHED_HEADERS = {"set-cookie", "content-length", "etag", "last-modified", "cache-control"}


class PageEntry(NamedTuple):
    """A page as kept in the cache. Made of tuples, strings and bytes only, it
    cannot be modified: each process's copy is served as it is, never copied."""

    content: reader_values.Kept
    headers: tuple  # (name, value) pairs


@functools.lru_cache(maxsize=4096)
def _route(urlconf, path):
    """The route name and arguments of ``path``, or None if no route matches.

    Kept for the addresses read the most: resolving one took a tenth of
    serving a cached page.
    """
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return match.view_name, match.kwargs


def _scopes_for(route):
    """The generations a page depends on, from its route; None if it is not cached."""
    if route is None:
        return None
    view_name, kwargs = route
    scope = settings.PAGE_CACHE_VIEWS.get(view_name)
    if scope is None:
        return None
    if scope == "article":
        try:
            scope = f"article:{kwargs['year']:04d}-{kwargs['month']:02d}-{kwargs['day']:02d}/{kwargs['slug']}"
        except (KeyError, TypeError, ValueError):
            return None
    return (page_cache.CONTENT, scope)


def _ignored(name):
    return any(
        name.startswith(pattern[:-1]) if pattern.endswith("*") else name == pattern
        for pattern in settings.IGNORED_QUERY_PARAMETERS
    )


class IgnoredParametersMiddleware:
    """Takes the parameters that sharing adds to links (``utm_*``, ``fbclid``…) out of a GET's query string.

    They are for analytics scripts, which read them from the address bar; the
    page is the same without them. Kept, every click on a shared link would be
    a new address: a miss of the page cache, and a new entry in it, just when
    the page is shared the most. The other parameters are kept as they came.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if query and request.method in ("GET", "HEAD"):
            pairs = query.split("&")
            kept = [pair for pair in pairs if not _ignored(unquote_plus(pair.partition("=")[0]))]
            if len(kept) != len(pairs):
                request.META["QUERY_STRING"] = "&".join(kept)
                # Read again from the query string if it was read already.
                request.__dict__.pop("GET", None)
        return self.get_response(request)


class AnonymousPageCacheMiddleware:
    """Serves public pages to anonymous readers from the cache, without running the view.

    It sits first in MIDDLEWARE, so that a cached page skips every other
    layer as well as the view; the page is stored with the headers those
    layers added (security, CSP, framing), so it is served exactly as built.
    Which pages are cached, and on which scope each depends, is set by
    ``PAGE_CACHE_VIEWS`` (route name → scope). A request with a session or
    pending messages (a logged-in user, a reader who just posted), or that is
    not a GET or HEAD, goes through untouched.

    The ETag and Last-Modified come from the page's key and generations, so a
    conditional GET for a page still cached is answered 304 without rendering.

    A page with a form is stored with its CSRF tokens replaced by a
    placeholder; each serving puts in the reader's own token and sets their
    CSRF cookie, through Django's CsrfViewMiddleware, so forms on cached pages
    work.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        with page_cache.request_snapshot():
            return self._respond(request)

    def _respond(self, request):
        try:
            state = self._lookup(request)
        except (DatabaseError, InterfaceError):
            # A new generation record reads the next scheduled publication; with
            # the database down, let the view fail in the open, where the site's
            # availability middleware answers its 503 page.
            state = None
        if state is None:
            return self.get_response(request)
        if "response" in state:
            return state["response"]
        response = self.get_response(request)
        if self._cacheable(response):
            self._store(state, response)
            _add_validators(state, response)
        return response

    def _lookup(self, request):
        """What the cache knows of this request: None when it must not be involved."""
        if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
            return None
        if any(name in request.COOKIES for name in settings.PAGE_CACHE_BYPASS_COOKIES):
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            # SecurityMiddleware, further down, redirects it to HTTPS.
            return None
        scopes = _scopes_for(_route(get_urlconf(settings.ROOT_URLCONF), request.path_info))
        if scopes is None:
            return None
        # The page is stored under its address and the generations it was built
        # from: such an entry never changes, so each process keeps a copy. With
        # Redis, the generations are kept too until Redis reports a change, so a
        # page this process holds is served without a round trip.
        current = page_cache.generations(*scopes)
        built_from = [current[scope] for scope in scopes]
        address = (request.scheme, request.get_host(), request.get_full_path())
        key = page_cache.fragment_key("page-parts", *address, get_language(), *built_from)
        state = {
            "key": key,
            "etag": f'W/"{key.rsplit(":", 1)[-1][:24]}"',
            "last_modified": max(current.values()) // 1_000_000_000,
        }
        entry = page_cache.get_many([key]).get(key)
        if entry is None:
            return state
        state["csrf"] = entry.content.csrf
        # Only a page known to exist in this version is answered 304.
        not_modified = get_conditional_response(
            request, etag=state["etag"], last_modified=state["last_modified"]
        )
        if not_modified is not None:
            _add_validators(state, not_modified)
            return {**state, "response": not_modified}
        if not entry.content.csrf:
            return {**state, "response": _rebuild(state, entry, b"".join(entry.content.parts))}
        # The reader's own token, from their CSRF cookie (a new one if they have none).
        self.csrf.process_request(request)
        content = reader_values.fill(entry.content, request)
        response = self.csrf.process_response(request, _rebuild(state, entry, content))
        return {**state, "response": response}

    @staticmethod
    def _cacheable(response):
        if response.status_code != 200 or response.streaming:
            return False
        # The CSRF cookie is the reader's own and is set again on each serving;
        # any other cookie makes the page personal.
        if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
            return False
        control = response.get("Cache-Control", "").lower()
        return not any(word in control for word in ("private", "no-cache", "no-store"))

    @staticmethod
    def _store(state, response):
        headers = tuple(
            (name, value) for name, value in response.items() if name.lower() not in UNCACHED_HEADERS
        )
        entry = PageEntry(reader_values.keep(response.content), headers)
        page_cache.set_many({state["key"]: entry})
        state["csrf"] = entry.content.csrf


def _add_validators(state, response):
    response.headers.setdefault("ETag", state["etag"])
    response.headers.setdefault("Last-Modified", _http_date(state["last_modified"]))
    if "Cache-Control" not in response:
        # A page with a form carries the reader's own token: no shared cache may keep it.
        patch_cache_control(response, max_age=0, must_revalidate=True, private=state.get("csrf", False))


# The pages' generations change seldom: their dates are written once.
_http_date = functools.lru_cache(maxsize=64)(http_date)


def _rebuild(state, entry, content):
    # A page with a form varies on Cookie: CsrfViewMiddleware says so as it sets the reader's cookie.
    response = HttpResponse(content)
    for name, value in entry.headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    _add_validators(state, response)
    return response


class QueryCountMiddleware:
    """Adds X-Query-Count, the number of SQL queries the request ran (benchmark only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
