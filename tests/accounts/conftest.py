import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import AuthorUserFactory, EditorUserFactory, StaffFactory

PASSWORD = "password"


def totp_code(device, *, steps_ahead=0):
    """The code the authenticator app shows for ``device`` now (or ``steps_ahead`` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user, *, codes=("aaaa2222", "bbbb3333")):
    """Give ``user`` a confirmed app and backup codes, as enrolment leaves them."""
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=backup, token=code)
    return device


def password_login(client, user, *, next_url=None):
    url = reverse("admin:login")
    if next_url:
        url += f"?next={next_url}"
    return client.post(
        url, {"username": user.get_username(), "password": PASSWORD, "next": next_url or "/admin/"}
    )


@pytest.fixture
def two_factor(settings):
    """Staff must give a second factor, as in production."""
    settings.STAFF_REQUIRE_2FA = True
    return settings


@pytest.fixture
def superuser(db):
    return StaffFactory(username="root")


@pytest.fixture
def editor(db):
    return EditorUserFactory(username="editrice")


@pytest.fixture
def author(db):
    return AuthorUserFactory(username="auteur")
