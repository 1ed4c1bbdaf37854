"""In chromium: first login → set up the app → log out → log in with a code → the admin's home."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import StaffFactory

pytestmark = pytest.mark.browser


def code_for(secret):
    """What an authenticator app given ``secret`` (as the page shows it) displays now."""
    secret = secret.replace(" ", "")
    totp = TOTP(b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = time.time()
    return f"{totp.token():06d}"


def next_unused_code(username):
    """A code the site accepts now, from the device's secret: never the one already used.

    The site takes codes one period either side of its clock (shifted by the
    drift it learnt at enrolment), each period's code once only.
    """
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    now = time.time()
    for periods in (0, 1):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = now + periods * device.step
        if totp.t() > device.last_t:
            return f"{totp.token():0{device.digits}d}"
    raise AssertionError("no code left in the accepted window")


def log_in(page, base):
    page.goto(f"{base}/admin/")
    page.fill("#id_username", "cheffe")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")


def test_first_login_enrols_then_a_code_opens_the_admin(
    page, live_server, transactional_db, settings, artifacts
):
    settings.STAFF_REQUIRE_2FA = True
    StaffFactory(username="cheffe")
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    base = live_server.url

    log_in(page, base)
    page.wait_for_url("**/securite/activation/**")
    qr_width = page.eval_on_selector(
        "img.account-security__qrcode", "img => img.complete && img.naturalWidth"
    )
    assert qr_width and qr_width > 0
    secret = page.inner_text("#totp-secret")
    page.screenshot(path=str(artifacts / "two-factor-enrolment.png"), full_page=True)
    page.fill("#id_code", code_for(secret))
    page.click("input[type=submit].default")
    page.wait_for_url("**/securite/codes-de-secours/**")
    assert page.locator("#backup-codes li").count() == 10
    page.click("#backup-codes-continue")
    page.wait_for_url(f"{base}/admin/")
    assert page.locator("#site-name").is_visible()

    page.click("#logout-form button")
    page.wait_for_load_state()
    log_in(page, base)
    page.wait_for_url("**/securite/verification/**")
    # Not the code used to enrol: each code works once.
    page.fill("#id_code", next_unused_code("cheffe"))
    page.click("input[type=submit].default")
    page.wait_for_url(f"{base}/admin/")
    assert page.locator("#site-name").is_visible()
    assert page.locator("#content-main").is_visible()
    assert refused == []
