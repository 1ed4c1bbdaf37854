"""The anonymous page cache and the benchmark's query counter."""

import re

from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from . import cache as page_cache

# Django's {% csrf_token %} writes exactly this; the token is 64 letters and digits.
CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(">)')
CSRF_PLACEHOLDER = b"\x00csrf-token\x00"
# Headers that belong to one response, not to the page.
UNCACHED_HEADERS = {"set-cookie", "content-length", "vary", "etag", "last-modified", "cache-control"}


def _scopes_for(match):
    """The generations a page depends on, from its route; None if it is not cached."""
    if match is None:
        return None
    scope = settings.PAGE_CACHE_VIEWS.get(match.view_name)
    if scope is None:
        return None
    if scope == "article":
        kwargs = match.kwargs
        try:
            scope = f"article:{kwargs['year']:04d}-{kwargs['month']:02d}-{kwargs['day']:02d}/{kwargs['slug']}"
        except (KeyError, TypeError, ValueError):
            return None
    return (page_cache.CONTENT, scope)


class AnonymousPageCacheMiddleware:
    """Serves public pages to anonymous readers from the cache, without running the view.

    Which pages are cached, and on which scope each depends, is set by
    ``PAGE_CACHE_VIEWS`` (route name → scope). A request with a session or
    pending messages (a logged-in user, a reader who just posted), or that is
    not a GET or HEAD, goes through untouched.

    A page is stored with its CSRF tokens replaced by a placeholder; each reader
    gets a token of their own when the page is served, and CsrfViewMiddleware
    sets their cookie, so the comment form of a cached page works.

    The ETag and Last-Modified come from the scopes' generations alone, so a
    conditional GET is answered 304 before the page is even fetched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        state = getattr(request, "_page_cache", None)
        if state is not None and self._cacheable(response):
            self._store(state, response)
            self._add_validators(state, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
            return None
        if any(name in request.COOKIES for name in settings.PAGE_CACHE_BYPASS_COOKIES):
            return None
        scopes = _scopes_for(request.resolver_match)
        if scopes is None:
            return None
        current = page_cache.generations(*scopes)
        key = page_cache.fragment_key(
            "page",
            *(current[scope] for scope in scopes),
            request.build_absolute_uri(),
            get_language(),
        )
        state = request._page_cache = {
            "key": key,
            "etag": f'W/"{key.rsplit(":", 1)[-1][:24]}"',
            "last_modified": max(current.values()) // 1_000_000_000,
        }
        not_modified = get_conditional_response(
            request, etag=state["etag"], last_modified=state["last_modified"]
        )
        if not_modified is not None:
            request._page_cache = None
            self._add_validators(state, not_modified)
            return not_modified
        entry = page_cache.get_cache().get(key)
        if entry is None:
            return None
        request._page_cache = None
        return self._rebuild(request, state, entry)

    @staticmethod
    def _cacheable(response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        control = response.get("Cache-Control", "").lower()
        return not any(word in control for word in ("private", "no-cache", "no-store"))

    @staticmethod
    def _store(state, response):
        content, tokens = CSRF_INPUT.subn(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
        headers = [(name, value) for name, value in response.items() if name.lower() not in UNCACHED_HEADERS]
        entry = {"content": content, "headers": headers, "csrf": bool(tokens)}
        page_cache.get_cache().set(state["key"], entry, timeout=settings.PAGE_CACHE_TIMEOUT)
        state["csrf"] = bool(tokens)

    @staticmethod
    def _add_validators(state, response):
        response.headers.setdefault("ETag", state["etag"])
        response.headers.setdefault("Last-Modified", http_date(state["last_modified"]))
        if "Cache-Control" not in response:
            # A page with a form carries the reader's own token: no shared cache may keep it.
            patch_cache_control(response, max_age=0, must_revalidate=True, private=state.get("csrf", False))

    def _rebuild(self, request, state, entry):
        content = entry["content"]
        if entry["csrf"]:
            content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in entry["headers"]:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        state["csrf"] = entry["csrf"]
        self._add_validators(state, response)
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
