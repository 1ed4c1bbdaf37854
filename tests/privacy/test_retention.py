"""The daily purge: comments' IP addresses, then the addresses left on old removed comments."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_comments_xtd.models import XtdComment

from privacy import tasks
from privacy.services import purge_expired_personal_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def comments(article, make_comment, settings):
    settings.PRIVACY_COMMENT_IP_DAYS = 30
    settings.COMMENTS_PURGE_SPAM_DAYS = 30
    old = make_comment(article, "Ancien.", ip_address="203.0.113.1", days_ago=31)
    recent = make_comment(article, "Récent.", ip_address="203.0.113.2", days_ago=29)
    # Removed long ago, but kept by purge_spam because someone replied.
    spam = make_comment(
        article,
        "Pub.",
        removed=True,
        days_ago=40,
        user_email="spam@example.org",
        user_url="https://spam.example",
    )
    make_comment(article, "Réponse.", parent=spam, days_ago=39)
    fresh_spam = make_comment(
        article, "Pub récente.", removed=True, days_ago=5, user_email="spam2@example.org"
    )
    return {"old": old, "recent": recent, "spam": spam, "fresh_spam": fresh_spam}


def reload(comment):
    return XtdComment.objects.get(pk=comment.pk)


def test_the_purge_erases_what_is_past_its_retention_period(comments):
    report = purge_expired_personal_data()
    assert reload(comments["old"]).ip_address is None
    assert reload(comments["recent"]).ip_address == "203.0.113.2"
    spam = reload(comments["spam"])
    assert (spam.user_email, spam.user_url, spam.comment) == ("", "", "Pub.")
    assert reload(comments["fresh_spam"]).user_email == "spam2@example.org"
    assert report.ip_addresses_erased == 1 and report.removed_emails_erased == 1
    # Nothing left to do the second time.
    again = purge_expired_personal_data()
    assert (again.ip_addresses_erased, again.removed_emails_erased) == (0, 0)


def test_the_periods_come_from_the_settings(comments, settings):
    settings.PRIVACY_COMMENT_IP_DAYS = 10
    purge_expired_personal_data()
    assert reload(comments["recent"]).ip_address is None


def test_the_command_dry_run_changes_nothing(comments):
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert reload(comments["old"]).ip_address == "203.0.113.1"
    assert reload(comments["spam"]).user_email == "spam@example.org"
    assert "1" in out.getvalue()
    call_command("purge_personal_data", stdout=StringIO())
    assert reload(comments["old"]).ip_address is None


def test_the_periodic_task_runs_the_purge(comments):
    result = tasks.purge_personal_data.enqueue()
    assert result.return_value == {"ip_addresses": 1, "removed_emails": 1}
    assert reload(comments["old"]).ip_address is None
