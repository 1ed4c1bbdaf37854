"""Middleware that keeps the site answering properly when a backing service fails, and in its language."""

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.utils import translation

from config.views import service_unavailable

logger = logging.getLogger("config.availability")

DATABASE_ERRORS = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    """Answers 503 with a plain page when the database cannot be reached.

    A lost connection, a stopped server or a locked SQLite file raise
    OperationalError / InterfaceError from any query, including those run while
    a template renders. Readers get a short "come back in a moment" page with a
    Retry-After header instead of a traceback, and the error is logged.
    Errors raised outside views (in other middleware) reach ``handler500``,
    which gives the same page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error(
            "Database unavailable while serving %s",
            request.path,
            exc_info=exception,
            extra={"request": request, "status_code": 503},
        )
        return service_unavailable(request)


class NullCharacterInRequest(SuspiciousOperation):
    """A NUL byte in the address: only scanners send one."""


class RejectNullCharactersMiddleware:
    """Answers 400 to a NUL byte in the path or the query string.

    PostgreSQL refuses NUL in text values, so a lookup such as
    ``/mot-cle/%00/`` or ``?q=%00`` would otherwise end in a DataError (a 500).
    Form fields already refuse NUL (Django's ProhibitNullCharactersValidator);
    this covers what views read straight from the URL. Raising
    SuspiciousOperation gives a 400 and a line in the ``django.security`` log.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "%00" in query or "\x00" in query:
            raise NullCharacterInRequest("NUL character in the request address")
        return self.get_response(request)


class SiteLanguageMiddleware:
    """Makes the site's language (LANGUAGE_CODE) the active one while a request is served.

    The site speaks one language, whatever the browser asks for (which
    LocaleMiddleware would follow). Django uses LANGUAGE_CODE anyway, but
    with no language active each lookup of the current language first fails
    to find the request's own, at 20 µs a time: a page asks several times.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            return self.get_response(request)
        finally:
            # As before: outside requests, the process uses LANGUAGE_CODE as it is then.
            translation.deactivate()
