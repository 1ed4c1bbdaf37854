"""The reader's pages: subscribe, confirm, preferences, unsubscribe. None is cached.

The subscription form sits on shared, cached pages, so it carries no CSRF
token, and its post is exempt: as for an anonymous comment (see the README),
CSRF protects a victim's identity and a subscription request carries none.
A forged request can only make the site send a confirmation e-mail to an
address, which the rate limit bounds and which subscribes no one. The
one-click unsubscribe is exempt too (RFC 8058: mail providers post it with no
token); it needs the subscriber's secret token. The preference form is
rendered per request and keeps its CSRF check.
"""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from comments.ratelimit import client_ip
from comments.tasks import MAIL_ERRORS

from . import services
from .forms import PreferencesForm, SubscribeForm
from .models import Subscriber


def rate_limited(request) -> bool:
    limit = settings.NEWSLETTER_SUBSCRIBE_RATE_LIMIT
    if not limit:
        return False
    key = f"newsletter:rate:{client_ip(request)}"
    try:
        if cache.add(key, 1, timeout=3600):
            return False
        count = cache.incr(key)
    except Exception:  # the cache down, or the key expired meanwhile: let the request through
        return False
    return count is not None and count > limit


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.method == "GET":
        return render(request, "newsletter/subscribe.html", {"form": SubscribeForm()})
    if rate_limited(request):
        return render(request, "newsletter/rate_limited.html", status=429)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "newsletter/subscribe.html", {"form": form}, status=400)
    try:
        services.subscriber_request(
            email=form.cleaned_data["email"],
            frequency=form.cleaned_data["frequency"],
            categories=form.cleaned_data["categories"],
        )
    except MAIL_ERRORS:
        return render(request, "newsletter/mail_failed.html", status=503)
    return render(request, "newsletter/subscribe_done.html")


def subscriber_or_404(token: str) -> Subscriber:
    return get_object_or_404(Subscriber, token=token)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The link of the confirmation e-mail shows a button: link scanners that open it confirm nothing."""
    subscriber = subscriber_or_404(token)
    if request.method == "POST":
        services.subscriber_confirm(subscriber=subscriber)
        messages.success(request, _("Your subscription is confirmed. Welcome!"))
        return redirect("newsletter:preferences", token=token)
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    subscriber = subscriber_or_404(token)
    initial = {"frequency": subscriber.frequency, "categories": subscriber.categories.all()}
    form = PreferencesForm(request.POST or None, initial=initial)
    saved = False
    if request.method == "POST" and form.is_valid():
        services.subscriber_update(
            subscriber=subscriber,
            frequency=form.cleaned_data["frequency"],
            categories=form.cleaned_data["categories"],
        )
        saved = True
    status = 400 if request.method == "POST" and not saved else 200
    context = {"subscriber": subscriber, "form": form, "saved": saved}
    return render(request, "newsletter/preferences.html", context, status=status)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows a button; POST (the button, or a mail provider's one-click) unsubscribes."""
    subscriber = subscriber_or_404(token)
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        return render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})
