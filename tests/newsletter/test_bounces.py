"""Bounces and complaints reported by the mail provider stop sending to the address (django-anymail)."""

import base64
import json

import pytest
from anymail.signals import AnymailTrackingEvent, EventType, tracking
from django.core import mail

from newsletter.models import Delivery, Subscriber
from newsletter.tasks import send_article
from newsletter.urls import provider_webhook_patterns
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

WEBHOOK = "/lettre/anymail/postmark/tracking/"
SECRET = "fournisseur:un-secret-de-test"


def provider_reports(event_type, recipient, **fields):
    event = AnymailTrackingEvent(event_type=event_type, recipient=recipient, **fields)
    tracking.send(sender=object, event=event, esp_name="Postmark")


@pytest.mark.parametrize("event_type", [EventType.BOUNCED, EventType.COMPLAINED, EventType.REJECTED])
def test_a_bounce_a_complaint_or_a_refusal_stops_sending_with_the_reason(subscribe, event_type):
    subscriber = subscribe("Lectrice@Example.org")

    provider_reports(event_type, "lectrice@example.org", description="Mailbox does not exist")

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.STOPPED
    assert subscriber.stopped_reason == f"Postmark: {event_type} (Mailbox does not exist)"
    assert subscriber.unsubscribed_at is not None


def test_delivery_and_reading_events_change_nothing(subscribe):
    subscriber = subscribe("a@example.org")
    for event_type in [EventType.DELIVERED, EventType.OPENED, EventType.CLICKED, EventType.DEFERRED]:
        provider_reports(event_type, "a@example.org")
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.stopped_reason) == (Subscriber.Status.ACTIVE, "")


def test_an_unknown_address_or_an_event_without_one_is_ignored(subscribe):
    subscribe("a@example.org")
    provider_reports(EventType.BOUNCED, "inconnu@example.org")
    provider_reports(EventType.BOUNCED, None)
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE


def test_a_reader_who_unsubscribed_stays_unsubscribed(subscribe):
    subscriber = subscribe("a@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    provider_reports(EventType.COMPLAINED, "a@example.org")
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.stopped_reason) == (Subscriber.Status.UNSUBSCRIBED, "")


def test_nothing_more_is_sent_to_a_stopped_address(subscribe):
    subscribe("rebond@example.org")
    subscribe("lectrice@example.org")
    provider_reports(EventType.BOUNCED, "rebond@example.org")

    send_article.call(article_id=ArticleFactory().pk)

    assert [message.to for message in mail.outbox] == [["lectrice@example.org"]]
    assert not Delivery.objects.filter(subscriber__email="rebond@example.org").exists()


def test_the_address_may_subscribe_again_with_a_new_confirmation(
    client, subscribe, django_capture_on_commit_callbacks
):
    subscriber = subscribe("a@example.org")
    provider_reports(EventType.BOUNCED, "a@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/lettre/inscription/", {"email": "a@example.org", "frequency": "each", "website": ""})
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    client.post(f"/lettre/confirmer/{subscriber.token}/")
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.stopped_reason) == (Subscriber.Status.ACTIVE, "")


def test_the_preferences_page_says_why_nothing_is_sent(client, subscribe):
    subscriber = subscribe("a@example.org")
    provider_reports(EventType.BOUNCED, "a@example.org")
    response = client.get(f"/lettre/preferences/{subscriber.token}/")
    assert response.status_code == 200
    assert f"/lettre/desinscription/{subscriber.token}/" not in response.content.decode()


# THE PROVIDER'S WEBHOOK (a real Postmark call, parsed by django-anymail)
# ------------------------------------------------------------------------------


def test_the_webhook_exists_only_once_its_secret_is_set(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": []}
    assert provider_webhook_patterns() == []
    settings.ANYMAIL = {"WEBHOOK_SECRET": [SECRET]}
    (pattern,) = provider_webhook_patterns()
    assert str(pattern.pattern) == "anymail/"


def test_without_its_secret_the_webhook_address_answers_404(client, subscribe):
    subscribe("a@example.org")
    response = client.post(WEBHOOK, postmark_bounce("a@example.org"), content_type="application/json")
    assert response.status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE


def postmark_bounce(email):
    return json.dumps(
        {
            "RecordType": "Bounce",
            "Type": "HardBounce",
            "ID": 42,
            "Email": email,
            "Description": "The server was unable to deliver your message (unknown user).",
            "BouncedAt": "2026-12-04T10:00:00Z",
        }
    )


def auth(secret):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


@pytest.mark.urls("tests.newsletter.webhook_urls")
def test_a_postmark_bounce_stops_sending(client, settings, subscribe):
    settings.ANYMAIL = {"WEBHOOK_SECRET": [SECRET]}
    subscriber = subscribe("a@example.org")

    response = client.post(
        WEBHOOK, postmark_bounce("a@example.org"), content_type="application/json", **auth(SECRET)
    )

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.STOPPED
    assert subscriber.stopped_reason.startswith("Postmark: bounced (The server was unable to deliver")


@pytest.mark.urls("tests.newsletter.webhook_urls")
def test_a_call_without_the_secret_is_refused(client, settings, subscribe):
    settings.ANYMAIL = {"WEBHOOK_SECRET": [SECRET]}
    subscribe("a@example.org")

    for extra in [{}, auth("fournisseur:mauvais")]:
        response = client.post(
            WEBHOOK, postmark_bounce("a@example.org"), content_type="application/json", **extra
        )
        assert response.status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE
