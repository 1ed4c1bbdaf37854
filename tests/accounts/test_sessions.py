"""Staff sessions: closed after inactivity; "log out everywhere" by the user or by a superuser."""

from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import AuditEntry
from tests.factories import UserFactory

from .conftest import enrol, password_login, totp_code

ADMIN = "/admin/"


def last_seen_ago(client, seconds):
    session = client.session
    session[services.LAST_SEEN_KEY] = services.idle_clock() - seconds
    session.save()


def test_a_staff_session_unused_for_longer_than_the_limit_is_closed(client, settings, editor):
    settings.STAFF_SESSION_IDLE_MINUTES = 60
    client.force_login(editor)
    last_seen_ago(client, 59 * 60)
    assert client.get(ADMIN).status_code == 200
    # That request counted as activity: the clock starts again.
    assert services.idle_clock() - client.session[services.LAST_SEEN_KEY] < 5
    last_seen_ago(client, 61 * 60)
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("admin:login"))
    assert "60 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_inactivity_limit_can_be_switched_off(client, settings, editor):
    settings.STAFF_SESSION_IDLE_MINUTES = 0
    client.force_login(editor)
    last_seen_ago(client, 30 * 24 * 3600)
    assert client.get(ADMIN).status_code == 200


def test_readers_sessions_have_no_inactivity_limit(client, settings, db):
    settings.STAFF_SESSION_IDLE_MINUTES = 1
    reader = UserFactory(username="lecteur")
    client.force_login(reader)
    last_seen_ago(client, 3600)
    client.get("/")
    assert client.session.get("_auth_user_id") == str(reader.pk)


def test_the_last_seen_time_is_not_written_on_every_request(client, editor):
    client.force_login(editor)
    last_seen_ago(client, 10)
    before = client.session[services.LAST_SEEN_KEY]
    client.get(ADMIN)
    assert client.session[services.LAST_SEEN_KEY] == before


def test_log_out_everywhere_from_the_account_page(client, editor):
    other_device = Client()
    other_device.force_login(editor)
    client.force_login(editor)
    page = client.get(reverse("accounts:account"))
    assert page.status_code == 200
    assert reverse("accounts:logout_everywhere").encode() in page.content
    response = client.post(reverse("accounts:logout_everywhere"))
    assert response["Location"] == reverse("admin:login")
    for each in (client, other_device):
        assert each.get(ADMIN)["Location"].startswith(reverse("admin:login"))
    assert AuditEntry.objects.filter(action="sessions_revoked", actor_name="editrice").exists()
    # A new login works again.
    client.force_login(editor)
    assert client.get(ADMIN).status_code == 200


def test_log_out_everywhere_needs_a_post(client, editor):
    client.force_login(editor)
    assert client.get(reverse("accounts:logout_everywhere")).status_code == 405
    assert client.get(ADMIN).status_code == 200


def test_a_superuser_logs_someone_out_everywhere(client, superuser, editor):
    editor_client = Client()
    editor_client.force_login(editor)
    client.force_login(superuser)
    client.post(
        reverse("admin:accounts_staffaccount_changelist"),
        {"action": "log_out_everywhere", "_selected_action": [editor.pk]},
    )
    assert editor_client.get(ADMIN)["Location"].startswith(reverse("admin:login"))
    assert client.get(ADMIN).status_code == 200
    assert AuditEntry.objects.filter(
        action="sessions_revoked", target_id=str(editor.pk), actor_name="root"
    ).exists()


def test_the_account_page_needs_the_second_factor_once_set_up(client, two_factor, editor):
    device = enrol(editor)
    password_login(client, editor)
    assert client.get(reverse("accounts:account"))["Location"].startswith(reverse("accounts:verify"))
    assert client.post(reverse("accounts:logout_everywhere"))["Location"].startswith(
        reverse("accounts:verify")
    )
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    page = client.get(reverse("accounts:account"))
    assert page.status_code == 200
    assert "2" in page.content.decode()  # backup codes left


def test_the_admin_home_lists_the_security_page_for_superusers(client, superuser, author):
    url = reverse("admin:accounts_accountsecurity_changelist")
    client.force_login(superuser)
    assert url.encode() in client.get(ADMIN).content
    assert client.get(url)["Location"] == reverse("accounts:account")
    client.force_login(author)
    assert url.encode() not in client.get(ADMIN).content
    assert client.get(reverse("accounts:account")).status_code == 200
    # An author sees their own page, not the superusers' recovery desk or the trail.
    page = client.get(reverse("accounts:account")).content.decode()
    assert reverse("admin:accounts_staffaccount_changelist") not in page
    assert reverse("admin:accounts_auditentry_changelist") not in page
    client.force_login(superuser)
    page = client.get(reverse("accounts:account")).content.decode()
    assert reverse("admin:accounts_staffaccount_changelist") in page
    assert reverse("admin:accounts_auditentry_changelist") in page


def test_checking_the_session_generation_costs_no_query_of_its_own(client, editor, django_assert_num_queries):
    client.force_login(editor)
    client.get(ADMIN)
    services.sessions_revoke(user=editor)
    client.force_login(editor)
    # Session, user (with its generation): nothing more before the view.
    with django_assert_num_queries(2):
        client.get(reverse("accounts:logout_everywhere"))  # 405: no view queries
