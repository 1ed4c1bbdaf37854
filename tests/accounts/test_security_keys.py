"""Security keys and passkeys (django-otp-webauthn) as a second factor beside the app."""

import pytest
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from accounts import services
from accounts.models import AuditEntry

from .conftest import PASSWORD, enrol, password_login, totp_code

pytestmark = pytest.mark.django_db


def add_key(user):
    """A key as django-otp-webauthn's registration leaves it (the browser test makes a real one)."""
    return WebAuthnCredential.objects.create(
        user=user,
        credential_id=b"credential-" + str(user.pk).encode(),
        public_key=b"public-key",
        sign_count=0,
        aaguid="00000000-0000-0000-0000-000000000000",
        confirmed=True,
    )


def verified_client(client, user):
    device = enrol(user)
    password_login(client, user)
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    return client


def test_adding_a_key_is_in_the_audit_trail(editor):
    add_key(editor)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SECURITY_KEY_ADDED)
    assert entry.actor_id == editor.pk and entry.target_id == str(editor.pk)


def test_the_security_page_lists_keys_and_offers_to_add_one(client, editor, two_factor):
    verified_client(client, editor)
    html = client.get(reverse("accounts:account")).content.decode()
    assert "Clés de sécurité et clés d’accès" in html
    assert 'id="passkey-register-button"' in html
    assert "django_otp_webauthn/otp_webauthn_register.js" in html
    add_key(editor)
    html = client.get(reverse("accounts:account")).content.decode()
    assert "jamais utilisée" in html


def test_without_the_app_no_key_can_be_added(client, editor):
    password_login(client, editor)
    html = client.get(reverse("accounts:account")).content.decode()
    assert 'id="passkey-register-button"' not in html
    assert "Configurez d’abord l’application" in html


def test_registration_needs_the_second_factor_first(client, editor, two_factor):
    enrol(editor)
    password_login(client, editor)
    response = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert response.status_code == 302 and "/securite/verification/" in response["Location"]


def test_the_verification_page_offers_the_key_only_to_who_has_one(client, editor, two_factor):
    enrol(editor)
    password_login(client, editor)
    html = client.get(reverse("accounts:verify")).content.decode()
    assert "passkey-verification-button" not in html
    add_key(editor)
    html = client.get(reverse("accounts:verify")).content.decode()
    assert 'id="passkey-verification-button"' in html
    assert "otp_webauthn_auth.js" in html


def test_the_key_ceremony_is_reachable_before_the_second_factor(client, editor, two_factor):
    enrol(editor)
    add_key(editor)
    password_login(client, editor)
    response = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert response.status_code == 200
    assert response.json()["allowCredentials"]  # the user's own key, asked for by the browser
    assert client.get(reverse("otp_webauthn:js-i18n-catalog")).status_code == 200
    # The rest of the admin still waits for the second factor.
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_scripts_speak_french(client):
    catalogue = client.get(reverse("otp_webauthn:js-i18n-catalog")).content.decode()
    assert "V\\u00e9rification r\\u00e9ussie." in catalogue or "Vérification réussie." in catalogue


def test_removing_ones_own_key(client, editor, two_factor):
    verified_client(client, editor)
    key = add_key(editor)
    response = client.post(reverse("accounts:security_key_remove", kwargs={"pk": key.pk}), follow=True)
    assert not WebAuthnCredential.objects.filter(pk=key.pk).exists()
    assert "La clé de sécurité a été retirée" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY_KEY_REMOVED).exists()


def test_nobody_removes_someone_elses_key(client, editor, author, two_factor):
    verified_client(client, editor)
    key = add_key(author)
    response = client.post(reverse("accounts:security_key_remove", kwargs={"pk": key.pk}), follow=True)
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()
    assert "n’est pas l’une des vôtres" in response.content.decode()
    assert client.get(reverse("accounts:security_key_remove", kwargs={"pk": key.pk})).status_code == 405


def test_a_reset_by_a_superuser_removes_the_keys_too(editor, superuser):
    enrol(editor)
    add_key(editor)
    assert services.two_factor_reset(user=editor, actor=superuser) == 3
    assert not WebAuthnCredential.objects.filter(user=editor).exists()
    assert not services.has_second_factor(editor)


def test_a_key_alone_is_a_second_factor(client, editor, two_factor):
    add_key(editor)
    assert services.has_second_factor(editor)
    client.post(reverse("admin:login"), {"username": editor.get_username(), "password": PASSWORD})
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("accounts:verify"))


def test_the_scripts_catalogue_is_complete_and_compiled(tmp_path):
    import subprocess
    from pathlib import Path

    locale = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES"
    compiled = tmp_path / "djangojs.mo"
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", str(compiled), str(locale / "djangojs.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert compiled.read_bytes() == (locale / "djangojs.mo").read_bytes(), "run make messages"
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_the_recovery_desk_counts_each_accounts_keys(client, superuser, editor):
    add_key(editor)
    client.force_login(superuser)
    html = client.get(reverse("admin:accounts_staffaccount_changelist")).content.decode()
    assert "Clés de sécurité" in html
    assert 'class="field-security_keys_column">1<' in html
