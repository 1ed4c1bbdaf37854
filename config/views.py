"""Site-wide views that do not belong to an app: health check and error pages."""

import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as default_server_error

RETRY_AFTER_SECONDS = 30


def service_unavailable(request):
    """The 503 page: rendered without context processors' database lookups."""
    # No request in the context: the context processors and anything else that
    # might query the database stay out of this page.
    content = loader.render_to_string("503.html")
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Neither a proxy nor the site's own cache may keep this page once the database is back.
    add_never_cache_headers(response)
    return response


def server_error(request):
    """handler500: a database outage outside a view still gets the 503 page."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return service_unavailable(request)
    return default_server_error(request)


@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 when the database answers, 503 when not.

    The query reads Django's migration table rather than ``SELECT 1``, so that a
    database that answers but is empty (a wrong SQLite path, a new server) fails too.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def login_locked(request, original_response=None, credentials=None):
    """django-axes' lockout answer: 429 and a page saying how long to wait, in minutes."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = max(1, round(cooloff.total_seconds() / 60)) if cooloff else None
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "axes/lockout.html", context, status=429)
