"""Bounces and complaints, as the mail provider reports them: sending to the address stops.

django-anymail receives the provider's webhook (newsletter.urls mounts it once
ANYMAIL["WEBHOOK_SECRET"] is set) and sends its ``tracking`` signal with one
normalised event per message; any provider it supports works the same way.
A bounce, a complaint ("this is spam"), a refusal by the provider or an
unsubscription made with the provider's own link stops every message to the
address, with the reason shown to editors. Other events (delivered, opened…)
are ignored.
"""

import logging

from anymail.signals import EventType, tracking
from django.dispatch import receiver

from . import services

logger = logging.getLogger(__name__)

STOPPING_EVENTS = {EventType.BOUNCED, EventType.COMPLAINED, EventType.REJECTED, EventType.UNSUBSCRIBED}


def event_reason(event, esp_name: str) -> str:
    """A line for the admin: provider, event and what the provider said (never the whole raw event)."""
    said = event.description or event.mta_response or event.reject_reason or ""
    return f"{esp_name}: {event.event_type}" + (f" ({said})" if said else "")


@receiver(tracking, dispatch_uid="newsletter-stop-on-bounce")
def stop_sending_after_a_bounce(sender, event, esp_name, **kwargs):
    if event.event_type not in STOPPING_EVENTS or not event.recipient:
        return
    subscriber = services.subscriber_stop(email=event.recipient, reason=event_reason(event, esp_name))
    if subscriber is not None:
        logger.info("Newsletter stopped for subscriber %s: %s %s.", subscriber.pk, esp_name, event.event_type)
