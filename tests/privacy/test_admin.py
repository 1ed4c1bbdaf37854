"""The staff page: look up an address, download what is held, erase it after a confirmation."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from newsletter.models import Subscriber
from privacy.models import ErasureRecord
from privacy.services import personal_data_erase
from tests.factories import EditorUserFactory

from .conftest import PERSON

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:privacy_erasurerecord_personal_data")
CHANGELIST = reverse("admin:privacy_erasurerecord_changelist")


@pytest.fixture
def editor(db):
    return EditorUserFactory(username="editrice")


def test_the_page_opens_for_a_superuser(staff_client):
    response = staff_client.get(PAGE)
    assert response.status_code == 200
    assert response.context["data"] is None


def test_looking_up_shows_what_is_held(staff_client, person):
    response = staff_client.post(PAGE, {"step": "lookup", "email": PERSON})
    assert response.status_code == 200
    data = response.context["data"]
    assert len(data.comments) == 3 and data.newsletter is not None
    assert "Mon premier avis." in response.content.decode()
    # Looking changes nothing.
    assert XtdComment.objects.count() == 5


@pytest.mark.parametrize("bad", ["", "pas une adresse", "x" * 400, "a\x00@example.org"])
def test_bad_input_is_a_form_error_not_a_500(staff_client, person, bad):
    for step in ("lookup", "json", "erase", "erase_confirmed", "nonsense"):
        response = staff_client.post(PAGE, {"step": step, "email": bad})
        assert response.status_code == 400
        assert response.context["form"].errors
    assert XtdComment.objects.count() == 5


def test_an_unknown_step_only_looks_up(staff_client, person):
    response = staff_client.post(PAGE, {"step": "nonsense", "email": PERSON})
    assert response.status_code == 200
    assert XtdComment.objects.count() == 5


@pytest.mark.parametrize(("step", "content_type"), [("json", "application/json"), ("html", "text/html")])
def test_downloads(staff_client, person, step, content_type):
    response = staff_client.post(PAGE, {"step": step, "email": PERSON})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith("attachment;")
    assert "example.org" not in response["Content-Disposition"]
    assert "Mon premier avis." in response.content.decode()
    if step == "json":
        assert len(json.loads(response.content)["comments"]) == 3


def test_erasure_asks_for_a_confirmation_first(staff_client, person):
    response = staff_client.post(PAGE, {"step": "erase", "email": PERSON})
    assert response.status_code == 200
    assert response.context["confirm_erasure"] is True
    assert 'value="erase_confirmed"' in response.content.decode()
    assert XtdComment.objects.count() == 5 and Subscriber.objects.exists()


def test_the_confirmed_erasure_erases_and_is_logged_with_its_author(staff_client, staff_user, person):
    response = staff_client.post(PAGE, {"step": "erase_confirmed", "email": PERSON}, follow=True)
    assert response.redirect_chain[-1][0] == CHANGELIST
    assert not Subscriber.objects.exists()
    assert not XtdComment.objects.filter(user_email__iexact=PERSON).exists()
    record = ErasureRecord.objects.get()
    assert record.actor == staff_user and record.source == ErasureRecord.Source.ADMIN
    assert list(response.context["messages"])


def test_erasing_an_unknown_address_changes_nothing(staff_client, person):
    staff_client.post(PAGE, {"step": "erase_confirmed", "email": "personne@example.org"})
    assert XtdComment.objects.count() == 5 and not ErasureRecord.objects.exists()


def test_the_page_is_csrf_protected(person, staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post(PAGE, {"step": "erase_confirmed", "email": PERSON})
    assert response.status_code == 403
    assert Subscriber.objects.exists()


def test_an_editor_without_the_permission_is_refused(client, editor, person):
    client.force_login(editor)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"step": "erase_confirmed", "email": PERSON}).status_code == 403
    assert client.get(CHANGELIST).status_code == 403
    assert Subscriber.objects.exists()


def test_an_editor_given_the_permission_may_use_it(client, editor, person):
    editor.user_permissions.add(Permission.objects.get(codename="manage_personal_data"))
    client.force_login(editor)
    assert client.get(PAGE).status_code == 200
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert PAGE in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_the_log_lists_erasures_and_finds_an_address_by_its_hash(
    staff_client, person, django_assert_max_num_queries
):
    personal_data_erase(email=PERSON, source=ErasureRecord.Source.COMMAND)
    personal_data_erase(email="personne@example.org", source=ErasureRecord.Source.COMMAND)
    with django_assert_max_num_queries(15):
        response = staff_client.get(CHANGELIST)
    assert response.status_code == 200 and response.context["cl"].result_count == 1
    assert staff_client.get(CHANGELIST, {"q": PERSON.upper()}).context["cl"].result_count == 1
    assert staff_client.get(CHANGELIST, {"q": "autre@example.org"}).context["cl"].result_count == 0
    assert staff_client.get(CHANGELIST, {"q": "pas une adresse"}).context["cl"].result_count == 0
    record = ErasureRecord.objects.get()
    assert (
        staff_client.get(reverse("admin:privacy_erasurerecord_change", args=[record.pk])).status_code == 200
    )
    assert staff_client.get(reverse("admin:privacy_erasurerecord_add")).status_code == 403
