"""Subscribing (double opt-in), preferences and unsubscribing; no account needed.

Anyone may ask for a subscription for any address; nothing is sent to it but
the confirmation e-mail until its owner clicks the link. A request for an
address already subscribed changes nothing: its owner gets an e-mail with the
link to their preferences, and the page says the same as for a new address
(no one learns who subscribes).
"""

from django.db import transaction
from django.utils import timezone

from comments import tasks as mail_tasks

from . import emails
from .models import Subscriber


@transaction.atomic
def subscriber_request(*, email: str, frequency: str, categories) -> Subscriber:
    """Record a subscription request and queue the e-mail that confirms it."""
    email = email.strip().lower()
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is not None and subscriber.status == Subscriber.Status.ACTIVE:
        message = emails.already_subscribed_message(subscriber)
    else:
        if subscriber is None:
            subscriber = Subscriber(email=email)
        subscriber.status = Subscriber.Status.PENDING
        subscriber.stopped_reason = ""
        subscriber.frequency = frequency
        subscriber.all_categories = not categories
        subscriber.save()
        subscriber.categories.set(categories)
        message = emails.confirmation_message(subscriber)
    transaction.on_commit(lambda: mail_tasks.send_or_enqueue([message]))
    return subscriber


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber) -> Subscriber:
    """Start sending to ``subscriber``: only articles published from now on (and this week's digest)."""
    if subscriber.status != Subscriber.Status.ACTIVE:
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.digest_until = subscriber.confirmed_at
        subscriber.stopped_reason = ""
        subscriber.save(
            update_fields=["status", "confirmed_at", "unsubscribed_at", "digest_until", "stopped_reason"]
        )
    return subscriber


@transaction.atomic
def subscriber_update(*, subscriber: Subscriber, frequency: str, categories) -> Subscriber:
    subscriber.frequency = frequency
    subscriber.all_categories = not categories
    subscriber.save(update_fields=["frequency", "all_categories"])
    subscriber.categories.set(categories)
    return subscriber


@transaction.atomic
def subscriber_stop(*, email: str, reason: str) -> Subscriber | None:
    """Stop sending to ``email`` after a bounce or complaint its mail provider reported; None if unknown.

    A reader who unsubscribed stays unsubscribed (their choice is kept). The
    address may subscribe again, with a new double opt-in.
    """
    subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email.strip()).first()
    if subscriber is None or subscriber.status in (Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.STOPPED):
        return subscriber
    subscriber.status = Subscriber.Status.STOPPED
    subscriber.stopped_reason = reason[:255]
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["status", "stopped_reason", "unsubscribed_at"])
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop every message to ``subscriber``; the row stays, so that queued sends skip it."""
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber
