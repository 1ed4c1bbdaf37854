"""In chromium, with a virtual authenticator: add a passkey from the security page, then sign in with it."""

import pytest

from tests.factories import StaffFactory

from .conftest import enrol, totp_code

pytestmark = pytest.mark.browser


def log_in(page, base):
    page.goto(f"{base}/admin/")
    page.fill("#id_username", "cheffe")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url("**/securite/verification/**")


def test_a_passkey_added_on_the_security_page_opens_the_admin(
    page, live_server, transactional_db, settings, artifacts
):
    base = live_server.url.replace("127.0.0.1", "localhost")  # WebAuthn wants a domain, not an address
    settings.STAFF_REQUIRE_2FA = True
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [base]
    device = enrol(StaffFactory(username="cheffe"))
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    # A platform authenticator that says yes, as a fingerprint reader would.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    log_in(page, base)
    assert not page.locator("#passkey-verification-button").count()  # no key yet
    page.fill("#id_code", totp_code(device))
    page.click("input[type=submit].default")
    page.wait_for_url(f"{base}/admin/")

    page.goto(f"{base}/admin/securite/")
    page.get_by_role("button", name="Ajouter une clé de sécurité ou d’accès").click()
    page.wait_for_selector(".account-security__keys li")
    assert "jamais utilisée" in page.inner_text("#security-keys")
    page.screenshot(path=str(artifacts / "security-keys.png"), full_page=True)

    page.click("#logout-form button")
    page.wait_for_load_state()
    log_in(page, base)
    page.get_by_role("button", name="Utiliser ma clé de sécurité ou d’accès").click()
    page.wait_for_url(f"{base}/admin/")
    assert page.locator("#site-name").is_visible()
    page.goto(f"{base}/admin/securite/")
    assert "utilisée pour la dernière fois" in page.inner_text("#security-keys")
    assert refused == []
