"""The reader's requests: ask by address, confirm through the link sent there. Nothing is cached.

The request page answers the same whether or not the address is known; the
link goes to the address only, so only its owner sees what is held. The
link's page shows buttons (POST): a mail scanner that opens links exports
and erases nothing. Requests are counted per client address, as the
newsletter's are.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from comments.ratelimit import client_ip
from comments.tasks import MAIL_ERRORS

from . import exports, selectors, services
from .forms import RequestForm
from .models import ErasureRecord

RATE_PERIOD = 3600


def rate_limited(request) -> bool:
    """More than PRIVACY_REQUEST_RATE_LIMIT requests from this client in the hour (0: no limit)."""
    limit = settings.PRIVACY_REQUEST_RATE_LIMIT
    if not limit:
        return False
    key = f"privacy:rate:{client_ip(request)}"
    try:
        if cache.add(key, 1, timeout=RATE_PERIOD):
            return False
        count = cache.incr(key)
    except Exception:  # the cache down, or the key expired meanwhile: let the request through
        return False
    return count is not None and count > limit


def download(data, *, format: str) -> HttpResponse:
    response = HttpResponse(exports.export(data, format=format), content_type=exports.CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(format=format)}"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def request_form(request):
    if request.method == "GET":
        return render(request, "privacy/request.html", {"form": RequestForm()})
    if rate_limited(request):
        return render(request, "privacy/rate_limited.html", status=429)
    form = RequestForm(request.POST)
    if not form.is_valid():
        return render(request, "privacy/request.html", {"form": form}, status=400)
    try:
        services.personal_data_request(email=form.cleaned_data["email"], action=form.cleaned_data["action"])
    except MAIL_ERRORS:
        return render(request, "privacy/mail_failed.html", status=503)
    return render(request, "privacy/request_done.html", {"hours": settings.PRIVACY_LINK_MAX_AGE_HOURS})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        email, action = services.read_request_token(token)
    except services.InvalidLink as error:
        return render(request, "privacy/link_invalid.html", {"message": error.message}, status=400)
    data = selectors.personal_data(email=email)
    if request.method == "POST":
        if action == services.EXPORT:
            format = request.POST.get("format")
            if format in exports.FORMATS:
                return download(data, format=format)
        elif request.POST.get("confirm") == "yes":
            report = services.personal_data_erase(email=email, source=ErasureRecord.Source.READER)
            return render(request, "privacy/erased.html", {"report": report})
    context = {"data": data, "action": action, "email": email}
    return render(request, "privacy/confirm.html", context)
