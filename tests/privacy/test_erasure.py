"""Export and erasure for one address, through the command (the admin and the form share the service)."""

import json
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import CommandError, call_command
from django.utils.translation import gettext
from django_comments_xtd.models import XtdComment

from accounts.models import AuditEntry
from newsletter.models import Delivery, Subscriber
from privacy.models import ErasureRecord
from privacy.services import address_digest, personal_data_erase
from tests.factories import UserFactory

from .conftest import OTHER, PERSON

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("personal_data", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot():
    """What erasure could change, to show that something did not."""
    return (
        list(XtdComment.objects.order_by("pk").values()),
        list(Subscriber.objects.values()),
        AccessFailureLog.objects.count(),
        ErasureRecord.objects.count(),
    )


# EXPORT ---------------------------------------------------------------------


def test_the_json_export_holds_every_comment_subscription_and_login_record(person):
    out, _err = run("export", PERSON.upper())
    data = json.loads(out)
    assert [c["id"] for c in data["comments"]] == [
        person["answered"].pk,
        person["alone"].pk,
        person["reply"].pk,
    ]
    first = data["comments"][0]
    assert first["name"] == "Camille"
    assert first["email"] == PERSON
    assert first["url"] == "https://camille.example.org/"
    assert first["ip_address"] == "203.0.113.7"
    assert first["text"] == "Mon premier avis."
    assert first["article"]["title"] == "Le podcast en 2025"
    assert first["article"]["url"] == person["article"].get_absolute_url()
    assert first["date"] and first["state"]
    assert data["comments"][2]["is_reply"] is True
    # Only the comment with followup=True is a follow-up subscription.
    assert [f["comment"] for f in data["followups"]] == [person["alone"].pk]
    assert data["newsletter"]["email"] == PERSON.lower()
    assert data["newsletter"]["categories"] == ["Podcasts"]
    assert data["newsletter"]["all_categories"] is False
    assert {r["ip_address"] for r in data["login_records"]} == {"203.0.113.8"}
    assert len(data["login_records"]) == 2
    # Someone else's comments are not in it.
    assert OTHER not in out


def test_the_export_includes_an_account_with_the_address_and_its_comments(person, make_comment):
    user = UserFactory(username="camille", email=PERSON)
    own = make_comment(person["article"], "Connectée.", user=user, user_email="")
    AccessFailureLog.objects.create(
        username="camille", ip_address="198.51.100.1", user_agent="x", http_accept="", path_info="/"
    )
    data = json.loads(run("export", PERSON)[0])
    assert [a["username"] for a in data["accounts"]] == ["camille"]
    assert own.pk in [c["id"] for c in data["comments"]]
    assert "198.51.100.1" in {r["ip_address"] for r in data["login_records"]}


def test_the_html_export_is_a_readable_page_written_to_a_file(person, tmp_path):
    target = tmp_path / "export.html"
    _out, err = run("export", PERSON, "--format", "html", "--output", str(target))
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Mon premier avis." in html and "203.0.113.7" in html and "Podcasts" in html
    assert str(target) in err


def test_the_html_export_escapes_what_readers_wrote(person, make_comment):
    make_comment(person["article"], "<script>alert(1)</script>", user_email=PERSON)
    html = run("export", PERSON, "--format", "html")[0]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_unknown_address_exports_an_empty_file_and_says_so(person):
    out, err = run("export", "personne@example.org")
    data = json.loads(out)
    assert data["comments"] == [] and data["newsletter"] is None and data["login_records"] == []
    assert err.strip() == gettext("Nothing is held about this address.")


# ERASURE --------------------------------------------------------------------


def test_erasure_deletes_lone_comments_and_anonymises_answered_ones(person):
    out, _err = run("erase", PERSON)
    answered = XtdComment.objects.get(pk=person["answered"].pk)
    assert answered.comment == "Mon premier avis."
    assert answered.user_name == gettext("Anonymous")
    assert (answered.user_email, answered.user_url, answered.ip_address, answered.followup) == (
        "",
        "",
        None,
        False,
    )
    assert not XtdComment.objects.filter(pk__in=[person["alone"].pk, person["reply"].pk]).exists()
    # The others' comments are untouched, and the reply count above the deleted reply is right.
    assert XtdComment.objects.get(pk=person["others_reply"].pk).user_email == OTHER
    others = XtdComment.objects.get(pk=person["others"].pk)
    assert (others.user_email, others.nested_count) == (OTHER, 0)
    assert not Subscriber.objects.exists()
    assert not AccessFailureLog.objects.exists() and not AccessAttempt.objects.exists()
    assert "2" in out and "1" in out


def test_erasure_removes_the_subscriptions_deliveries(person):
    Delivery.objects.create(article=person["article"], subscriber=person["subscriber"])
    run("erase", PERSON)
    assert not Delivery.objects.exists()


def test_erasure_keeps_a_chain_of_own_comments_above_someone_elses_reply(person, make_comment):
    # Their reply to their own comment, answered in turn by someone else: both stay, anonymised.
    top = make_comment(person["article"], "Fil.", user_email=PERSON)
    middle = make_comment(person["article"], "Suite du fil.", parent=top, user_email=PERSON)
    make_comment(person["article"], "Réponse.", parent=middle, user_email=OTHER)
    report = personal_data_erase(email=PERSON, source=ErasureRecord.Source.COMMAND)
    assert XtdComment.objects.get(pk=top.pk).user_email == ""
    assert XtdComment.objects.get(pk=middle.pk).user_email == ""
    assert report.comments_anonymised == 3
    assert report.comments_deleted == 2


def test_own_replies_under_own_comment_are_all_deleted(db, make_comment, article):
    top = make_comment(article, "Fil.", user_email=PERSON)
    make_comment(article, "Moi encore.", parent=top, user_email=PERSON)
    report = personal_data_erase(email=PERSON, source=ErasureRecord.Source.COMMAND)
    assert report.comments_deleted == 2 and report.comments_anonymised == 0
    assert not XtdComment.objects.exists()


def test_the_erasure_is_recorded_without_the_address(person, staff_user):
    report = personal_data_erase(email=PERSON, source=ErasureRecord.Source.ADMIN, actor=staff_user)
    record = ErasureRecord.objects.get()
    assert report.record == record
    assert (record.comments_deleted, record.comments_anonymised) == (2, 1)
    assert (record.followups_stopped, record.subscriptions_deleted, record.login_records_deleted) == (1, 1, 2)
    assert record.actor == staff_user and record.source == "admin"
    assert record.subject_digest == address_digest(PERSON.upper())
    row = json.dumps(list(ErasureRecord.objects.values()), default=str).lower()
    assert "camille" not in row and "example.org" not in row
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERSONAL_DATA_ERASED)
    assert entry.actor_id == staff_user.pk
    assert entry.details["comments_deleted"] == 2
    assert "example.org" not in json.dumps(entry.details) + entry.target_repr


def test_a_dry_run_changes_nothing_and_says_what_would_be_done(person):
    before = snapshot()
    out, _err = run("erase", PERSON, "--dry-run")
    assert snapshot() == before
    assert "2" in out


def test_an_unknown_address_changes_nothing(person):
    before = snapshot()
    out, _err = run("erase", "personne@example.org")
    assert snapshot() == before
    assert out.strip() == gettext("Nothing to erase for this address: nothing was changed.")


def test_an_account_with_the_address_is_kept_and_reported(db):
    UserFactory(username="camille", email=PERSON)
    out, _err = run("erase", PERSON)
    assert (
        gettext("A user account has this address and was kept: delete it in the admin if it must go.") in out
    )
    assert not ErasureRecord.objects.exists()


@pytest.mark.parametrize("bad", ["pas-une-adresse", "", "a@", "x" * 250 + "@example.org", "a@b@c.org"])
@pytest.mark.parametrize("operation", ["export", "erase"])
def test_invalid_input_is_refused_with_a_clear_message(person, bad, operation):
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run(operation, bad)
    assert str(error.value) == gettext("“%(email)s” is not a valid e-mail address.") % {"email": bad[:100]}
    assert snapshot() == before


def test_a_failure_midway_leaves_nothing_half_done(person, monkeypatch):
    before = snapshot()

    def broken(**kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr("privacy.services.record_personal_data_erasure", broken)
    with pytest.raises(RuntimeError):
        run("erase", PERSON)
    assert snapshot() == before
