"""The admin: only staff get in, and logging in is locked after repeated failures."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.urls import reverse
from django.utils.http import urlencode

from tests.factories import ArticleFactory, StaffFactory, UserFactory
from tests.security.payloads import SQLISH, XSS, assert_no_raw_markup


def admin_pages():
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    return pages


def test_admin_is_served_at_the_configured_address(client, settings, db):
    assert reverse("admin:index") == f"/{settings.ADMIN_URL}"
    assert client.get(reverse("admin:login")).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_no_admin_page_is_open_to_non_staff(client, db, who):
    if who == "reader":
        client.force_login(UserFactory(username="reader"))
    pages = admin_pages()
    assert len(pages) > 5
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.url.startswith(reverse("admin:login")), page


def failed_login(client, username="editor", password="wrong-password"):
    return client.post(
        reverse("admin:login") + "?" + urlencode({"next": reverse("admin:index")}),
        {"username": username, "password": password},
        REMOTE_ADDR="203.0.113.7",
    )


def test_login_is_locked_after_the_failure_limit(client, axes_on, db):
    axes_on.AXES_FAILURE_LIMIT = 3
    StaffFactory(username="editor", password="the-right-password")
    for _ in range(2):
        assert failed_login(client).status_code == 200  # the form again, with an error
    locked = failed_login(client)
    assert locked.status_code == 429
    assert "axes/lockout.html" in [template.name for template in locked.templates]
    assert "15" in locked.content.decode()  # the cool-off, in minutes
    # Even the right password is refused while locked.
    assert failed_login(client, password="the-right-password").status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_address_and_other_addresses_still_log_in(client, axes_on, db):
    axes_on.AXES_FAILURE_LIMIT = 2
    StaffFactory(username="editor", password="the-right-password")
    for _ in range(2):
        failed_login(client)
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "the-right-password"},
        REMOTE_ADDR="198.51.100.9",
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_lockout_ends_after_the_cool_off(client, axes_on, db):
    axes_on.AXES_FAILURE_LIMIT = 2
    StaffFactory(username="editor", password="the-right-password")
    for _ in range(2):
        failed_login(client)
    assert failed_login(client, password="the-right-password").status_code == 429
    # Pretend the cool-off has passed: the failures are older than AXES_COOLOFF_TIME.
    AccessAttempt.objects.update(attempt_time=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    response = failed_login(client, password="the-right-password")
    assert response.status_code == 302


def test_a_successful_login_resets_the_failure_count(client, axes_on, db):
    axes_on.AXES_FAILURE_LIMIT = 3
    StaffFactory(username="editor", password="the-right-password")
    failed_login(client)
    failed_login(client)
    assert failed_login(client, password="the-right-password").status_code == 302
    client.logout()
    failed_login(client)
    failed_login(client)
    assert failed_login(client, password="the-right-password").status_code == 302


@pytest.mark.parametrize(
    "username",
    [*XSS[:4], *SQLISH[:3], "x" * 20000, "a\x00b", "é" * 300, "\r\nadmin", ""],
)
def test_hostile_login_input_is_a_form_error_never_a_server_error(client, axes_on, db, username):
    axes_on.AXES_FAILURE_LIMIT = 100
    response = client.post(
        reverse("admin:login"), {"username": username, "password": username}, REMOTE_ADDR="203.0.113.8"
    )
    assert response.status_code == 200
    assert_no_raw_markup(response.content.decode(), username)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "query",
    [{"q": payload} for payload in [*XSS[:3], *SQLISH[:3], "x" * 5000]]
    + [{"o": "abc"}, {"o": "99"}, {"p": "-1"}, {"p": "abc"}, {"status__exact": "<script>"}, {"e": "1"}],
)
def test_hostile_admin_list_parameters_are_not_server_errors(staff_client, query):
    ArticleFactory()
    response = staff_client.get(reverse("admin:blog_article_changelist"), query)
    assert response.status_code in (200, 302, 400), response.status_code
    assert_no_raw_markup(response.content.decode(), next(iter(query.values())))
