"""Development only: the site's own 404 page while DEBUG is on.

With DEBUG on, Django answers a missing page with its technical page, in
English, so nobody sees the designed 404 before production. This middleware
(listed in config/settings/local.py) renders the page readers will get,
through Django's own ``page_not_found`` view; DEBUG stays on for everything
else (tracebacks, template reloading). ``DJANGO_DEBUG_404=1`` brings the
technical page back.
"""

from django.http import Http404
from django.views.defaults import page_not_found


class SiteNotFoundPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
