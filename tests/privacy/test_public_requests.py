"""A reader asks for their data or its erasure; a signed, time-limited link sent to the address confirms."""

import json
import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext
from django_comments_xtd.models import XtdComment

from newsletter.models import Subscriber
from privacy import services
from privacy.models import ErasureRecord

from .conftest import PERSON

pytestmark = pytest.mark.django_db

REQUEST = reverse("privacy:request")
LINK_RE = re.compile(r"https?://\S+/confidentialite/mes-donnees/lien/\S+/")


def ask(client, email, action="export", **extra):
    return client.post(REQUEST, {"email": email, "action": action, "website": ""}, **extra)


def link_in_last_mail():
    url = LINK_RE.search(mail.outbox[-1].body).group(0)
    return url[url.index("/confidentialite/") :]


def test_the_form_opens(client):
    response = client.get(REQUEST)
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_an_export_request_sends_a_link_that_gives_the_files(client, person, site):
    response = ask(client, PERSON)
    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [[PERSON]]
    link = link_in_last_mail()
    assert mail.outbox[0].body.count(site.domain) == 1

    page = client.get(link)
    assert page.status_code == 200
    assert len(page.context["data"].comments) == 3
    download = client.post(link, {"format": "json"})
    assert download["Content-Disposition"].startswith("attachment;")
    assert len(json.loads(download.content)["comments"]) == 3
    assert client.post(link, {"format": "html"})["Content-Type"].startswith("text/html")
    # An export link erases nothing, whatever is posted.
    client.post(link, {"confirm": "yes"})
    assert XtdComment.objects.count() == 5


def test_an_erasure_request_erases_only_after_the_final_confirmation(client, person):
    ask(client, PERSON, action="erase")
    link = link_in_last_mail()
    page = client.get(link)
    assert page.status_code == 200 and page.context["action"] == "erase"
    assert Subscriber.objects.exists()  # opening the link (a mail scanner) erases nothing
    client.post(link, {})
    assert Subscriber.objects.exists()

    done = client.post(link, {"confirm": "yes"})
    assert done.status_code == 200 and done.context["report"].comments_deleted == 2
    assert not Subscriber.objects.exists()
    record = ErasureRecord.objects.get()
    assert record.source == ErasureRecord.Source.READER and record.actor is None
    # The link used again finds nothing left to erase.
    again = client.post(link, {"confirm": "yes"})
    assert again.status_code == 200 and not again.context["report"].erased_anything
    assert ErasureRecord.objects.count() == 1


def test_the_answer_is_the_same_for_an_unknown_address(client, person):
    known = ask(client, PERSON)
    unknown = ask(client, "personne@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["personne@example.org"]
    page = client.get(link_in_last_mail())
    assert page.status_code == 200 and page.context["data"].is_empty


@pytest.mark.parametrize(
    "data",
    [
        {"email": "pas-une-adresse", "action": "export"},
        {"email": PERSON, "action": "delete-everything"},
        {"email": PERSON, "action": "export", "website": "http://spam.example"},
        {"email": "x" * 300 + "@example.org", "action": "erase"},
        {},
    ],
)
def test_bad_requests_are_refused_and_send_nothing(client, person, data):
    response = client.post(REQUEST, data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert mail.outbox == []


@pytest.mark.parametrize(
    "token",
    ["nonsense", "a" * 500, "eyJlIjoiYUBiLmMiLCJhIjoiZXJhc2UifQ:1abc:forged", "..", "%00"],
)
def test_a_bad_link_gives_a_clear_page_not_a_500(client, person, token):
    url = reverse("privacy:confirm", kwargs={"token": "placeholder"}).replace("placeholder", token)
    for response in (client.get(url), client.post(url, {"confirm": "yes"})):
        assert response.status_code in (400, 404)
    assert Subscriber.objects.exists()


def test_a_tampered_link_is_refused(client, person):
    token = services.request_token(email="personne@example.org", action="export")
    payload, rest = token.split(":", 1)
    forged = services.request_token(email=PERSON, action="erase").split(":", 1)[0] + ":" + rest
    response = client.post(reverse("privacy:confirm", kwargs={"token": forged}), {"confirm": "yes"})
    assert response.status_code == 400
    assert Subscriber.objects.exists()


def test_an_expired_link_says_so(client, person, settings):
    two_days_ago = time.time() - 2 * 24 * 3600
    with mock.patch("time.time", return_value=two_days_ago):
        token = services.request_token(email=PERSON, action="erase")
    response = client.post(reverse("privacy:confirm", kwargs={"token": token}), {"confirm": "yes"})
    assert response.status_code == 400
    assert response.context["message"] == gettext("This link has expired. Please make your request again.")
    assert Subscriber.objects.exists()
    settings.PRIVACY_LINK_MAX_AGE_HOURS = 72
    assert client.get(reverse("privacy:confirm", kwargs={"token": token})).status_code == 200


def test_requests_are_rate_limited_per_client_address(client, settings):
    settings.PRIVACY_REQUEST_RATE_LIMIT = 2
    statuses = [ask(client, f"r{i}@example.org").status_code for i in range(3)]
    assert statuses == [200, 200, 429]
    assert len(mail.outbox) == 2
    # Another client is counted apart.
    assert ask(client, "r9@example.org", REMOTE_ADDR="198.51.100.20").status_code == 200


def test_a_mail_server_failure_says_so(client, person):
    with mock.patch("privacy.services.mail_tasks.send_or_enqueue", side_effect=OSError("down")):
        response = ask(client, PERSON)
    assert response.status_code == 503


def test_the_form_is_csrf_protected(person):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert ask(client, PERSON).status_code == 403
    assert mail.outbox == []


def test_the_pages_cost_a_bounded_number_of_queries(
    client, person, make_comment, django_assert_max_num_queries
):
    for i in range(20):
        make_comment(person["article"], f"Encore {i}.", user_email=PERSON, followup=True)
    with django_assert_max_num_queries(8):
        assert client.get(REQUEST).status_code == 200
    link = reverse("privacy:confirm", kwargs={"token": services.request_token(email=PERSON, action="export")})
    with django_assert_max_num_queries(15):
        assert client.get(link).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.post(link, {"format": "html"}).status_code == 200
