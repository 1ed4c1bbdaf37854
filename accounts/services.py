"""Writes on staff accounts' security: the second factor, backup codes, sessions.

A staff member has at most one authenticator app (a confirmed ``TOTPDevice``)
and one set of backup codes (a ``StaticDevice`` whose tokens are deleted as
they are used). Enrolling creates an unconfirmed device; a first good code
confirms it. Throttling of wrong codes is django-otp's (1, 2, 4… seconds).
"""

import time
from base64 import b32encode

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from blog.models import AuthorProfile, author_display_name

from .audit import Action, record
from .models import AccountSecurity

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "app"
BACKUP_DEVICE_NAME = "backup"
# The session's copy of the account's generation (see AccountSecurity).
SESSION_GENERATION_KEY = "accounts_session_generation"
# When the session was last used (seconds), for the inactivity limit.
LAST_SEEN_KEY = "accounts_last_seen"
# Whether the account had a second factor when the session was opened.
HAS_DEVICE_KEY = "accounts_has_second_factor"


class CodeRefused(Exception):
    """The code was wrong, or too many wrong codes came in a row; the message says which."""


# Enrolment ------------------------------------------------------------------------------


def app_device(user, *, confirmed=True):
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def two_factor_enrolment_start(*, user) -> TOTPDevice:
    """The unconfirmed device the user is setting up (the same one on each visit)."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_for_typing(device) -> str:
    """The device's secret in base32, in groups of four, as authenticator apps ask for it."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _refusal(device):
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    if data and data.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS and data.get("locked_until"):
        seconds = max(1, round((data["locked_until"] - timezone.now()).total_seconds()))
        return ngettext(
            "Too many wrong codes in a row: try again in %(seconds)d second.",
            "Too many wrong codes in a row: try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
    return _("This code cannot be checked now: try again later.")


def _check(device, token) -> None:
    """Verify ``token`` on ``device``, or raise ``CodeRefused``.

    The refusal is raised once the transaction is over: the count of wrong
    codes that the delay grows with must be kept, not rolled back with it.
    """
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        refusal = _refusal(device)
        if refusal is None and not device.verify_token(token):
            refusal = _("This code is not valid.")
    if refusal:
        raise CodeRefused(refusal)


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def two_factor_enrolment_confirm(*, request, device: TOTPDevice, code: str) -> list[str]:
    """Confirm ``device`` with a first code from the app; return the new backup codes.

    The session is then verified (as after a login with a code) and gets a
    new key. Raises ``CodeRefused``.
    """
    user = request.user
    _check(device, normalise_code(code))
    with transaction.atomic():
        device.refresh_from_db()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = backup_codes_renew(user=user)
        record(Action.TWO_FACTOR_ENROLLED, actor=user, target=user)
    verify_session(request, device)
    return codes


def backup_codes_renew(*, user) -> list[str]:
    """Replace the user's backup codes with ``BACKUP_CODE_COUNT`` new ones, and return them."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Verification -----------------------------------------------------------------------------


def verify_session(request, device) -> None:
    """Mark the session as having given its second factor, under a new session key."""
    request.session.cycle_key()
    otp_login(request, device)


def two_factor_verify(*, request, code: str):
    """Check a code from the app or a backup code; on success the session is verified.

    Returns the device that accepted it. Raises ``CodeRefused``.
    """
    user = request.user
    code = normalise_code(code)
    if len(code) == 6 and code.isdigit():
        device = app_device(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise CodeRefused(_("This code is not valid."))
    _check(device, code)
    verify_session(request, device)
    if isinstance(device, StaticDevice):
        record(Action.BACKUP_CODE_USED, actor=user, target=user, details={"left": backup_codes_left(user)})
    return device


def has_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


# Security keys and passkeys -----------------------------------------------------------------
# Registered and checked by django-otp-webauthn's views (their scripts on the
# security and verification pages); "added" is recorded by a receiver (signals.py).


def security_keys(user) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk"))


@transaction.atomic
def security_key_remove(*, user, key_id: int) -> bool:
    """Remove one of ``user``'s own keys; False if it is not theirs (or already gone)."""
    key = WebAuthnCredential.objects.filter(user=user, pk=key_id).first()
    if key is None:
        return False
    name = key.name
    key.delete()
    record(Action.SECURITY_KEY_REMOVED, actor=user, target=user, details={"name": name})
    return True


# Recovery and sessions ----------------------------------------------------------------------


@transaction.atomic
def two_factor_reset(*, user, actor=None) -> int:
    """Remove the user's app, backup codes and security keys (they enrol again at their next login).

    Their sessions are closed too: one that gave a second factor could
    otherwise go on. Returns how many devices were removed.
    """
    devices = [
        TOTPDevice.objects.filter(user=user),
        StaticDevice.objects.filter(user=user),
        WebAuthnCredential.objects.filter(user=user),
    ]
    removed = sum(device.count() for device in devices)  # devices, not their backup codes
    for device in devices:
        device.delete()
    sessions_revoke(user=user, actor=actor)
    record(Action.TWO_FACTOR_RESET, actor=actor, target=user)
    return removed


def session_generation(user) -> int:
    """The account's current generation (0 until its first "log out everywhere").

    Free when the user came from ``AccountBackend`` (read with the user);
    one query otherwise.
    """
    try:
        return user.security.session_generation
    except AccountSecurity.DoesNotExist:
        return 0


def stored_session_generation(user) -> int:
    """The account's generation as the database has it now (for a session being opened)."""
    value = AccountSecurity.objects.filter(user_id=user.pk).values_list("session_generation", flat=True)
    return value.first() or 0


@transaction.atomic
def sessions_revoke(*, user, actor=None) -> None:
    """Close every session of ``user`` ("log out everywhere"), on their next request."""
    AccountSecurity.objects.get_or_create(user=user)
    AccountSecurity.objects.filter(user=user).update(
        session_generation=F("session_generation") + 1, sessions_revoked_at=timezone.now()
    )
    record(Action.SESSIONS_REVOKED, actor=actor, target=user)


def idle_clock() -> int:
    """Seconds, as the sessions' inactivity check counts them."""
    return int(time.time())


def is_app(device) -> bool:
    return isinstance(device, TOTPDevice)


def comment_emails_wanted(user) -> bool:
    """Whether ``user`` gets an e-mail for each comment on their articles (yes without a profile)."""
    profile = AuthorProfile.objects.filter(user=user).first()
    return profile is None or profile.notify_on_comment


@transaction.atomic
def comment_emails_set(*, user, enabled: bool) -> None:
    """Record the author's choice on their author profile, created with their name if missing."""
    AuthorProfile.objects.update_or_create(
        user=user,
        defaults={"notify_on_comment": enabled},
        create_defaults={"notify_on_comment": enabled, "display_name": author_display_name(user)[:100]},
    )
