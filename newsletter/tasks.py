"""Sending articles to subscribers, from the worker.

``dispatch_new_articles`` (every minute, settings.PERIODIC_TASKS) finds the
articles that became public (published now, or scheduled and due: nothing is
saved when a scheduled article goes live) and queues each once
(``ArticleSend``). ``send_article`` writes one ``Delivery`` row per interested
subscriber, then queues batches of NEWSLETTER_BATCH_SIZE, spaced to keep under
NEWSLETTER_RATE_PER_MINUTE. ``send_batch`` claims each row (pending → sending)
before its message leaves, so a row is sent at most once whatever happens: a
worker that dies mid-send leaves it "sending" and it is reported, not resent.
A mail server failure puts the rest of the batch back in the queue, later.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

try:  # Django 6.0 brings the Tasks API; django-tasks is its backport for 5.2.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from blog.models import Article
from comments.tasks import MAIL_ERRORS, can_retry_later, retry_delay

from . import emails
from .models import ArticleSend, Delivery, Subscriber

logger = logging.getLogger(__name__)

# After the comment e-mails (comments.tasks.MAIL_PRIORITY): a reader waiting for
# a confirmation link does not wait behind 10,000 newsletters.
NEWSLETTER_PRIORITY = -10
# A row left "sending" this long belongs to a worker that died: marked failed, never resent.
STALE_SENDING = datetime.timedelta(hours=1)
# Pending rows untouched this long are queued again (an article published again, a lost batch).
STALE_PENDING = datetime.timedelta(minutes=15)


def batch_spacing() -> datetime.timedelta:
    """The time between two batches' start: NEWSLETTER_BATCH_SIZE at NEWSLETTER_RATE_PER_MINUTE."""
    rate = max(settings.NEWSLETTER_RATE_PER_MINUTE, 1)
    return datetime.timedelta(minutes=settings.NEWSLETTER_BATCH_SIZE / rate)


def enqueue_batches(*, article_id: int, delivery_ids: list[int]) -> int:
    """Queue ``delivery_ids`` in batches, spaced when the backend can wait (the database one can)."""
    size = max(settings.NEWSLETTER_BATCH_SIZE, 1)
    now, spacing = timezone.now(), batch_spacing()
    batches = [delivery_ids[i : i + size] for i in range(0, len(delivery_ids), size)]
    for number, batch in enumerate(batches):
        queued = send_batch
        if can_retry_later(send_batch):  # every batch dated: they run in order
            queued = send_batch.using(run_after=now + number * spacing)
        queued.enqueue(article_id=article_id, delivery_ids=batch)
    return len(batches)


@task(priority=NEWSLETTER_PRIORITY)
def dispatch_new_articles() -> int:
    """Queue the articles that became public; requeue interrupted sends; report dead ones."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.NEWSLETTER_MAX_ARTICLE_AGE_HOURS)
    new = list(
        Article.objects.published()
        .filter(published_at__gte=cutoff, newsletter_send__isnull=True)
        .values_list("pk", flat=True)
    )
    for article_id in new:
        # The row and its task in one transaction (the queue is in the same database).
        with transaction.atomic():
            _, created = ArticleSend.objects.get_or_create(article_id=article_id)
            if created:
                send_article.enqueue(article_id=article_id)
    # A worker that died mid-send: its message may have left; never sent again.
    Delivery.objects.filter(status=Delivery.Status.SENDING, updated_at__lt=now - STALE_SENDING).update(
        status=Delivery.Status.FAILED, error="interrupted (worker stopped); not resent", updated_at=now
    )
    # Pending rows of public articles left behind (unpublished during the send, a batch lost).
    stale = (
        Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            in_digest=False,
            updated_at__lt=now - STALE_PENDING,
            article__in=Article.objects.published(),
        )
        .order_by("article_id", "pk")
        .values_list("article_id", "pk")
    )
    by_article = {}
    for article_id, pk in stale:
        by_article.setdefault(article_id, []).append(pk)
    for article_id, pks in by_article.items():
        Delivery.objects.filter(pk__in=pks).update(updated_at=now)
        enqueue_batches(article_id=article_id, delivery_ids=pks)
    return len(new)


@task(priority=NEWSLETTER_PRIORITY)
def send_article(*, article_id: int) -> int:
    """Write a delivery row for each subscriber who wants the article, then queue the batches."""
    article = Article.objects.published().select_related("category").filter(pk=article_id).first()
    if article is None:
        return 0  # unpublished meanwhile: dispatch finds it again once public
    subscribers = (
        Subscriber.objects.interested_in(article)
        .filter(frequency=Subscriber.Frequency.EACH)
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    Delivery.objects.bulk_create(
        [Delivery(article_id=article_id, subscriber_id=pk) for pk in subscribers.iterator(chunk_size=2000)],
        batch_size=1000,
        ignore_conflicts=True,
    )
    pending = list(
        Delivery.objects.filter(article_id=article_id, status=Delivery.Status.PENDING, in_digest=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ArticleSend.objects.filter(article_id=article_id).update(
        recipients=Delivery.objects.filter(article_id=article_id, in_digest=False).count()
    )
    enqueue_batches(article_id=article_id, delivery_ids=pending)
    return len(pending)


def claim(pk: int) -> bool:
    """Take one pending delivery for this worker; False if another has it (or had it)."""
    return bool(
        Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
        )
    )


@task(priority=NEWSLETTER_PRIORITY)
def send_batch(*, article_id: int, delivery_ids: list[int], attempt: int = 0) -> int:
    """Send one batch over one connection; a mail server failure sends the rest back to the queue."""
    article = Article.objects.published().select_related("category").filter(pk=article_id).first()
    if article is None:
        return 0  # unpublished: the rows stay pending; dispatch queues them if it is public again
    context = emails.article_context(article)
    sent = 0
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.PENDING)
        .select_related("subscriber")
        .order_by("pk")
    )
    remaining = [delivery.pk for delivery in deliveries]
    by_pk = {delivery.pk: delivery for delivery in deliveries}
    connection = get_connection()
    try:
        connection.open()
    except MAIL_ERRORS as error:
        retry_later(pk=None, remaining=remaining, article_id=article_id, attempt=attempt, error=error)
        return 0
    try:
        while remaining:
            pk = remaining[0]
            delivery = by_pk[pk]
            if delivery.subscriber.status != Subscriber.Status.ACTIVE:
                Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(
                    status=Delivery.Status.FAILED,
                    error="unsubscribed before sending",
                    updated_at=timezone.now(),
                )
                remaining.pop(0)
                continue
            if not claim(pk):
                remaining.pop(0)
                continue
            message = emails.article_message(article_context=context, subscriber=delivery.subscriber)
            try:
                connection.send_messages([message])
            except MAIL_ERRORS as error:
                retry_later(pk=pk, remaining=remaining, article_id=article_id, attempt=attempt, error=error)
                return sent
            Delivery.objects.filter(pk=pk).update(
                status=Delivery.Status.SENT, sent_at=timezone.now(), error="", updated_at=timezone.now()
            )
            remaining.pop(0)
            sent += 1
    finally:
        try:
            connection.close()
        except MAIL_ERRORS:
            logger.warning("The mail server's connection did not close cleanly.", exc_info=True)
    return sent


def retry_later(
    *, pk: int | None, remaining: list[int], article_id: int, attempt: int, error: Exception
) -> None:
    """Put the failed row back (or give it up) and queue the rest of the batch after a delay.

    ``pk`` is the row whose message failed (None: the connection itself failed).
    """
    gave_up = attempt + 1 >= settings.TASKS_MAIL_MAX_ATTEMPTS or not can_retry_later(send_batch)
    failed = [pk] if pk is not None else remaining
    Delivery.objects.filter(pk__in=failed).update(
        status=Delivery.Status.FAILED if gave_up else Delivery.Status.PENDING,
        error=str(error)[:1000],
        updated_at=timezone.now(),
    )
    rest = [other for other in remaining if other not in failed] if gave_up else remaining
    logger.warning("Mail server failure sending article %s: %s", article_id, error)
    if rest and can_retry_later(send_batch):
        later = timezone.now() + retry_delay(attempt)
        send_batch.using(run_after=later).enqueue(
            article_id=article_id, delivery_ids=rest, attempt=attempt + 1
        )


# WEEKLY DIGEST
# ------------------------------------------------------------------------------


def digest_moment(now: datetime.datetime) -> datetime.datetime | None:
    """This week's digest time (NEWSLETTER_DIGEST_WEEKDAY at NEWSLETTER_DIGEST_HOUR, site time), once past."""
    local = timezone.localtime(now)
    days_back = (local.weekday() - settings.NEWSLETTER_DIGEST_WEEKDAY) % 7
    moment = (local - datetime.timedelta(days=days_back)).replace(
        hour=settings.NEWSLETTER_DIGEST_HOUR, minute=0, second=0, microsecond=0
    )
    return moment if moment <= local else moment - datetime.timedelta(days=7)


@task(priority=NEWSLETTER_PRIORITY)
def send_weekly_digests() -> int:
    """Queue one digest per weekly subscriber not yet sent this week's (hourly: missed hours catch up)."""
    moment = digest_moment(timezone.now())
    due = list(
        Subscriber.objects.active()
        .filter(frequency=Subscriber.Frequency.WEEKLY, digest_until__lt=moment)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    spacing = datetime.timedelta(minutes=1 / max(settings.NEWSLETTER_RATE_PER_MINUTE, 1))
    now = timezone.now()
    for number, pk in enumerate(due):
        queued = send_digest
        if number and can_retry_later(send_digest):
            queued = send_digest.using(run_after=now + number * spacing)
        queued.enqueue(subscriber_id=pk, until=moment.isoformat())
    return len(due)


@task(priority=NEWSLETTER_PRIORITY)
def send_digest(*, subscriber_id: int, until: str) -> int:
    """One subscriber's digest: the public articles they want, published since their last one.

    Taking the subscriber's window (``digest_until``) is the claim: a second
    task for the same week finds it taken. A mail server failure gives the
    window back, and the next hourly run tries again.
    """
    until_at = datetime.datetime.fromisoformat(until)
    subscriber = Subscriber.objects.active().filter(pk=subscriber_id, digest_until__lt=until_at).first()
    if subscriber is None:
        return 0
    since = max(subscriber.digest_until, until_at - datetime.timedelta(days=7))
    if not Subscriber.objects.filter(pk=subscriber_id, digest_until=subscriber.digest_until).update(
        digest_until=until_at
    ):
        return 0
    candidates = (
        Article.objects.published()
        .filter(published_at__gt=since, published_at__lte=until_at)
        .exclude(delivery__subscriber=subscriber)
        .select_related("category", "category__parent")
        .order_by("published_at")
    )
    wanted_categories = set(subscriber.categories.values_list("pk", flat=True))
    articles = []
    for article in candidates:
        chain, category = set(), article.category
        while category is not None and category.pk not in chain:
            chain.add(category.pk)
            category = category.parent
        if subscriber.all_categories or chain & wanted_categories:
            articles.append(article)
    if not articles:
        return 0
    rows = Delivery.objects.bulk_create(
        [
            Delivery(article=article, subscriber=subscriber, in_digest=True, status=Delivery.Status.SENDING)
            for article in articles
        ]
    )
    try:
        emails.digest_message(articles=articles, subscriber=subscriber).send()
    except MAIL_ERRORS as error:
        logger.warning("Could not send the digest to subscriber %s: %s", subscriber_id, error)
        Delivery.objects.filter(pk__in=[row.pk for row in rows]).delete()
        Subscriber.objects.filter(pk=subscriber_id).update(digest_until=subscriber.digest_until)
        return 0
    Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=Delivery.Status.SENT, sent_at=timezone.now()
    )
    return len(articles)
