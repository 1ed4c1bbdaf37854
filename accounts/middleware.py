"""Every signed-in request's checks: session generation, inactivity, second factor.

Placed after django-otp's ``OTPMiddleware`` (which tells whether the session
gave its second factor) and Django's ``MessageMiddleware``. It also makes the
request's user the audit trail's default actor while the request is answered.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import audit
from .services import (
    HAS_DEVICE_KEY,
    LAST_SEEN_KEY,
    SESSION_GENERATION_KEY,
    has_second_factor,
    idle_clock,
    session_generation,
)

# The last-seen time is written at most this often (seconds): not a session save per request.
TOUCH_SECONDS = 60
# Pages a staff member reaches before giving their second factor.
BEFORE_SECOND_FACTOR = [
    "accounts:verify",
    "accounts:enrol",
    "accounts:qrcode",
    "admin:login",
    "admin:logout",
    # Giving the second factor with a security key or passkey (django-otp-webauthn).
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
]


def in_admin(request) -> bool:
    return request.path_info.startswith("/" + settings.ADMIN_URL)


def second_factor_required(request) -> bool:
    """Whether this staff session must give a second factor before using the admin."""
    return settings.STAFF_REQUIRE_2FA or bool(request.session.get(HAS_DEVICE_KEY))


def with_next(url_name, request):
    return f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"


class StaffSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.check(request)
        if response is not None:
            return response
        token = audit.set_request_user(request.user)
        try:
            return self.get_response(request)
        finally:
            audit.reset_request_user(token)

    def check(self, request):
        user = request.user
        if not user.is_authenticated:
            return None
        session = request.session
        if session.get(SESSION_GENERATION_KEY, 0) != session_generation(user):
            return self.close(request, _("You were logged out on every device. Please log in again."))
        if not user.is_staff:
            return None
        idle_minutes = settings.STAFF_SESSION_IDLE_MINUTES
        now = idle_clock()
        last_seen = session.get(LAST_SEEN_KEY)
        if idle_minutes and last_seen is not None and now - last_seen > idle_minutes * 60:
            return self.close(
                request,
                ngettext(
                    "Your session was closed after %(minutes)d minute without activity. Please log in again.",
                    "Your session was closed after %(minutes)d minutes without activity. "
                    "Please log in again.",
                    idle_minutes,
                )
                % {"minutes": idle_minutes},
            )
        if last_seen is None or now - last_seen >= TOUCH_SECONDS:
            session[LAST_SEEN_KEY] = now
        if user.is_verified() or not second_factor_required(request):
            return None
        if not in_admin(request):
            # Outside the admin, a staff member who has not given their second
            # factor counts as signed out (no previews, no staff comments).
            request.user = AnonymousUser()
            return None
        if request.path_info in {reverse(name) for name in BEFORE_SECOND_FACTOR}:
            return None
        if has_second_factor(user):
            return redirect(with_next("accounts:verify", request))
        return redirect(with_next("accounts:enrol", request))

    def close(self, request, message):
        """End the session; in the admin, back to the login page with ``message``."""
        logout(request)
        if not in_admin(request):
            return None
        messages.warning(request, message)
        return redirect(with_next("admin:login", request))
