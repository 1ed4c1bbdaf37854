"""The second factor: enrolment, the code after the password, backup codes, recovery, enforcement."""

from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEntry
from tests.factories import ArticleFactory

from .conftest import enrol, password_login, totp_code

ADMIN = "/admin/"


def follow_to(client, url):
    response = client.get(url)
    assert response.status_code == 302
    return response["Location"]


# Enforcement -----------------------------------------------------------------------------


def test_with_2fa_required_staff_without_a_device_are_sent_to_enrol_before_any_admin_page(
    client, two_factor, editor
):
    client.force_login(editor)
    for url in [ADMIN, reverse("admin:blog_article_changelist"), reverse("admin:blog_article_add")]:
        location = follow_to(client, url)
        assert location.startswith(reverse("accounts:enrol"))
        assert "next=" in location


def test_with_2fa_required_staff_with_a_device_are_asked_for_their_code(client, two_factor, editor):
    enrol(editor)
    client.force_login(editor)
    assert follow_to(client, ADMIN).startswith(reverse("accounts:verify"))


def test_with_2fa_off_staff_without_a_device_use_the_admin(client, settings, editor):
    settings.STAFF_REQUIRE_2FA = False
    client.force_login(editor)
    assert client.get(ADMIN).status_code == 200


def test_with_2fa_off_a_staff_member_who_set_it_up_is_still_asked_for_the_code(client, settings, editor):
    settings.STAFF_REQUIRE_2FA = False
    enrol(editor)
    password_login(client, editor)
    assert follow_to(client, ADMIN).startswith(reverse("accounts:verify"))


def test_outside_the_admin_an_unverified_staff_member_counts_as_signed_out(client, two_factor, editor):
    draft = ArticleFactory(status="draft", author=editor)
    preview = reverse("blog:article_preview", kwargs={"pk": draft.pk})
    client.force_login(editor)
    assert client.get(preview).status_code in (302, 403, 404)


def test_readers_accounts_are_not_concerned(client, two_factor, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="lecteur"))
    assert client.get("/").status_code == 200


# Enrolment ---------------------------------------------------------------------------------


def test_enrolment_shows_the_secret_and_a_same_origin_qr_code(client, two_factor, editor):
    client.force_login(editor)
    page = client.get(reverse("accounts:enrol"))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    html = page.content.decode()
    assert f'src="{reverse("accounts:qrcode")}"' in html
    assert "style=" not in html.split('id="content-main"')[1]
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    assert secret[:4] + " " + secret[4:8] in html
    image = client.get(reverse("accounts:qrcode"))
    assert image["Content-Type"] == "image/svg+xml"
    assert image.content.startswith(b"<?xml") and b"<svg" in image.content
    assert b"style=" not in image.content
    # The same device on the next visit: the QR code scanned stays valid.
    client.get(reverse("accounts:enrol"))
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def test_enrolment_with_a_good_code_gives_ten_backup_codes_shown_once(client, two_factor, editor):
    client.force_login(editor)
    client.get(reverse("accounts:enrol"))
    device = TOTPDevice.objects.get(user=editor)
    response = client.post(reverse("accounts:enrol"), {"code": totp_code(device), "next": ADMIN})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:backup_codes"))
    device.refresh_from_db()
    assert device.confirmed
    page = client.get(response["Location"])
    codes = list(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert len(codes) == 10
    for code in codes:
        assert code in page.content.decode()
    again = client.get(reverse("accounts:backup_codes"))
    assert not any(code in again.content.decode() for code in codes)
    assert "10" in again.content.decode()
    # The session gave its second factor: the admin opens.
    assert client.get(ADMIN).status_code == 200
    assert AuditEntry.objects.filter(action="two_factor_enrolled", actor_name="editrice").exists()


def test_enrolment_with_a_wrong_code_says_so_and_confirms_nothing(client, two_factor, editor):
    client.force_login(editor)
    client.get(reverse("accounts:enrol"))
    device = TOTPDevice.objects.get(user=editor)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    page = client.post(reverse("accounts:enrol"), {"code": wrong})
    assert page.status_code == 200
    assert "Ce code n’est pas valide" in page.content.decode() or "not valid" in page.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert follow_to(client, ADMIN).startswith(reverse("accounts:enrol"))


@pytest.mark.parametrize("code", ["", "abc", "12345", "1234567", "x" * 500, "12\x0034"])
def test_enrolment_refuses_malformed_codes_with_a_form_error(client, two_factor, editor, code):
    client.force_login(editor)
    response = client.post(reverse("accounts:enrol"), {"code": code})
    assert response.status_code == 200
    assert response.context["form"].errors


# Login with a code --------------------------------------------------------------------------


def test_login_asks_for_the_code_after_the_password(client, two_factor, editor):
    device = enrol(editor)
    response = password_login(client, editor, next_url=reverse("admin:blog_article_changelist"))
    assert response.status_code == 302
    verify_url = follow_to(client, response["Location"])
    assert verify_url.startswith(reverse("accounts:verify"))
    page = client.get(verify_url)
    assert page.status_code == 200
    assert b'autocomplete="one-time-code"' in page.content
    done = client.post(
        verify_url, {"code": totp_code(device), "next": reverse("admin:blog_article_changelist")}
    )
    assert done["Location"] == reverse("admin:blog_article_changelist")
    assert client.get(reverse("admin:blog_article_changelist")).status_code == 200


def test_a_wrong_code_is_refused_then_throttled(client, two_factor, editor):
    device = enrol(editor)
    password_login(client, editor)
    wrong = f"{(int(totp_code(device)) + 500_000) % 1_000_000:06d}"
    first = client.post(reverse("accounts:verify"), {"code": wrong})
    assert first.status_code == 200
    assert first.context["form"].errors["code"]
    # After wrong codes in a row, even the right one waits out the delay (1, 2, 4… 16 s after 5).
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=5)
    second = client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    assert second.status_code == 200
    assert "secondes" in second.content.decode() or "seconds" in second.content.decode()
    assert follow_to(client, ADMIN).startswith(reverse("accounts:verify"))


def test_a_code_cannot_be_used_twice(client, two_factor, editor, django_user_model):
    device = enrol(editor)
    code = totp_code(device)
    password_login(client, editor)
    assert client.post(reverse("accounts:verify"), {"code": code})["Location"] == ADMIN
    client.logout()
    password_login(client, editor)
    replay = client.post(reverse("accounts:verify"), {"code": code})
    assert replay.status_code == 200


def test_a_backup_code_works_once(client, two_factor, editor):
    enrol(editor, codes=["aaaa2222", "bbbb3333"])
    password_login(client, editor)
    response = client.post(reverse("accounts:verify"), {"code": "AAAA 2222", "next": ADMIN}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == ADMIN
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["bbbb3333"]
    assert AuditEntry.objects.filter(action="backup_code_used", details__left=1).exists()
    client.logout()
    password_login(client, editor)
    StaticDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    again = client.post(reverse("accounts:verify"), {"code": "aaaa2222"})
    assert again.status_code == 200
    assert again.context["form"].errors


def test_the_next_address_must_be_on_this_site(client, two_factor, editor):
    device = enrol(editor)
    password_login(client, editor)
    response = client.post(
        reverse("accounts:verify"), {"code": totp_code(device), "next": "https://evil.example/admin/"}
    )
    assert response["Location"] == ADMIN


def test_login_lockout_still_works(client, two_factor, editor, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        client.post(reverse("admin:login"), {"username": "editrice", "password": "wrong"})
    locked = client.post(reverse("admin:login"), {"username": "editrice", "password": "password"})
    assert locked.status_code == 429
    assert AccessAttempt.objects.exists()


def test_renewing_backup_codes_replaces_the_former_ones(client, two_factor, editor):
    device = enrol(editor, codes=["aaaa2222"])
    password_login(client, editor)
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    response = client.post(reverse("accounts:backup_codes"))
    assert response.status_code == 302
    tokens = set(StaticToken.objects.values_list("token", flat=True))
    assert len(tokens) == 10 and "aaaa2222" not in tokens
    page = client.get(reverse("accounts:backup_codes")).content.decode()
    assert all(token in page for token in tokens)


def test_security_pages_need_a_signed_in_staff_member(client, db):
    for name in ["accounts:account", "accounts:verify", "accounts:enrol", "accounts:backup_codes"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


# Recovery ----------------------------------------------------------------------------------


def test_a_superuser_resets_a_lost_second_factor(client, two_factor, superuser, editor):
    enrol(superuser)
    enrol(editor)
    editor_client = client.__class__()
    password_login(editor_client, editor)
    device = TOTPDevice.objects.get(user=superuser)
    password_login(client, superuser)
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    changelist = reverse("admin:accounts_staffaccount_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    response = client.post(
        changelist, {"action": "reset_second_factor", "_selected_action": [editor.pk]}, follow=True
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    assert AuditEntry.objects.filter(
        action="two_factor_reset", target_id=str(editor.pk), actor_name="root"
    ).exists()
    # Their sessions are closed; at the next login they set it up again.
    assert follow_to(editor_client, ADMIN).startswith(reverse("admin:login"))
    password_login(editor_client, editor)
    assert follow_to(editor_client, ADMIN).startswith(reverse("accounts:enrol"))


def test_only_superusers_reach_the_recovery_page(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:accounts_staffaccount_changelist")).status_code == 403
    response = client.post(
        reverse("admin:accounts_staffaccount_changelist"),
        {"action": "reset_second_factor", "_selected_action": [editor.pk]},
    )
    assert response.status_code == 403


def test_the_reset_command(editor):
    enrol(editor)
    out = StringIO()
    call_command("reset_two_factor", "editrice", stdout=out)
    assert "editrice" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=editor).exists()
    with pytest.raises(CommandError):
        call_command("reset_two_factor", "personne", stdout=StringIO())


def test_the_reset_command_dry_run_changes_nothing(editor):
    enrol(editor)
    call_command("reset_two_factor", "editrice", "--dry-run", stdout=StringIO())
    assert TOTPDevice.objects.filter(user=editor).exists()


def test_the_reset_command_counts_devices_not_backup_codes(editor):
    enrol(editor, codes=["aaaa2222", "bbbb3333", "cccc4444"])
    out = StringIO()
    call_command("reset_two_factor", "editrice", stdout=out)
    assert "(2 " in out.getvalue()


def test_the_recovery_page_lists_staff_accounts_only(client, superuser, editor):
    from tests.factories import UserFactory

    UserFactory(username="lecteur")
    client.force_login(superuser)
    page = client.get(reverse("admin:accounts_staffaccount_changelist"))
    usernames = {account.username for account in page.context["cl"].result_list}
    assert usernames == {"root", "editrice"}
    assert (
        client.get(reverse("admin:accounts_staffaccount_changelist"), {"second_factor": "x"}).status_code
        == 200
    )


def test_django_otps_own_device_pages_are_not_in_the_admin(client, superuser):
    client.force_login(superuser)
    index = client.get(ADMIN).content.decode()
    assert "otp_totp" not in index and "otp_static" not in index
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


# Before the second factor: nothing of the admin but the way out ---------------------------------


def test_the_second_step_pages_show_neither_the_admins_sections_nor_its_links(client, two_factor, editor):
    enrol(editor)
    password_login(client, editor)
    page = client.get(reverse("accounts:verify")).content.decode()
    assert reverse("admin:logout") in page
    assert reverse("admin:password_change") not in page
    assert reverse("admin:blog_article_changelist") not in page
    assert 'class="breadcrumbs"' not in page


def test_once_verified_the_security_pages_have_the_admins_header_and_breadcrumbs(client, two_factor, editor):
    device = enrol(editor)
    password_login(client, editor)
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    page = client.get(reverse("accounts:backup_codes")).content.decode()
    assert reverse("admin:password_change") in page
    assert 'class="breadcrumbs"' in page and reverse("accounts:account") in page


# Bad input: a form error or a redirect, never a 500 --------------------------------------------------


@pytest.mark.parametrize("code", ["", "   ", "x" * 500, "12\x0034", "١٢٣٤٥٦", "<script>", "aaaa-2222-bbbb"])
def test_verify_refuses_any_malformed_code_with_a_form_error(client, two_factor, editor, code):
    enrol(editor)
    password_login(client, editor)
    response = client.post(reverse("accounts:verify"), {"code": code})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "errornote" in response.content.decode()


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "https:///evil.example", "\\\\evil"],
)
def test_a_bad_next_address_is_ignored(client, two_factor, editor, next_url):
    client.force_login(editor)
    page = client.get(reverse("accounts:enrol"), {"next": next_url})
    assert page.status_code == 200
    assert page.context["next"] == ADMIN


def test_odd_requests_to_the_security_pages_get_no_error(client, editor):
    client.force_login(editor)
    # No enrolment under way: no QR code to show.
    assert client.get(reverse("accounts:qrcode")).status_code == 404
    # New backup codes without a second factor: sent to set one up.
    assert client.post(reverse("accounts:backup_codes"))["Location"] == reverse("accounts:enrol")
    assert client.get(reverse("accounts:verify"))["Location"].startswith(reverse("accounts:enrol"))
    assert client.post(reverse("accounts:enrol"), {"code": ["1", "2"]}).status_code == 200


# createsuperuser: the first enrolment -------------------------------------------------------------


def test_createsuperuser_says_how_the_second_factor_is_set_up(two_factor, db):
    out = StringIO()
    call_command("createsuperuser", username="cheffe", email="c@example.org", interactive=False, stdout=out)
    text = out.getvalue()
    assert reverse("accounts:enrol") in text
    assert reverse("admin:login") in text
    assert "reset_two_factor" in text
    assert "STAFF_REQUIRE_2FA" not in text  # required: nothing to switch on


def test_createsuperuser_with_2fa_off_says_it_is_optional(settings, db):
    settings.STAFF_REQUIRE_2FA = False
    out = StringIO()
    call_command("createsuperuser", username="cheffe", email="c@example.org", interactive=False, stdout=out)
    assert "STAFF_REQUIRE_2FA" in out.getvalue()
    assert reverse("accounts:enrol") in out.getvalue()


def test_createsuperuser_keeps_djangos_behaviour(two_factor, db, django_user_model):
    quiet = StringIO()
    call_command(
        "createsuperuser",
        username="muet",
        email="m@example.org",
        interactive=False,
        verbosity=0,
        stdout=quiet,
    )
    assert quiet.getvalue() == ""
    assert django_user_model.objects.get(username="muet").is_superuser
    with pytest.raises(CommandError):
        call_command(
            "createsuperuser", username="muet", email="m@example.org", interactive=False, stdout=quiet
        )
    with pytest.raises(CommandError):
        call_command("createsuperuser", interactive=False, stdout=quiet)


# Production ----------------------------------------------------------------------------------------


def test_the_deploy_check_warns_when_staff_need_no_second_factor(settings):
    from accounts.checks import second_factor_required

    settings.STAFF_REQUIRE_2FA = True
    assert second_factor_required(None) == []
    settings.STAFF_REQUIRE_2FA = False
    [warning] = second_factor_required(None)
    assert warning.id == "accounts.W001"
