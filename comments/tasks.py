"""The comment e-mails, sent by the task worker instead of the reader's request.

``send_email`` carries one message (as JSON: the task queue stores its
arguments) and is retried with a growing delay while the mail server is down
or refuses it, so a message is never lost and, being one per task, never sent
twice by a retry. ``notify_followers`` turns one new comment into one
``send_email`` per follower: the request that published the comment enqueues a
single row, however many readers follow the article. ``notify_authors`` does
the same for the article's authors.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone

try:  # Django 6.0 brings the Tasks API; django-tasks is its backport for 5.2.
    from django.tasks import task
except ImportError:
    from django_tasks import task

logger = logging.getLogger(__name__)

# What a mail server that is down, unreachable or refusing a mail raises.
MAIL_ERRORS = (smtplib.SMTPException, OSError)

# Readers wait for these (a confirmation link, a reply): before newsletter batches.
MAIL_PRIORITY = 10


def message_data(message: EmailMessage) -> dict:
    """What ``send_email`` needs to rebuild ``message`` (plain text, optional HTML part)."""
    data = {
        "subject": str(message.subject),
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
    }
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            data["html"] = content
    return data


def build_message(data: dict) -> EmailMessage:
    message = EmailMultiAlternatives(
        data["subject"], data["body"], data["from_email"], data["to"], headers=data.get("headers") or {}
    )
    if data.get("html"):
        message.attach_alternative(data["html"], "text/html")
    return message


def retry_delay(attempt: int) -> datetime.timedelta:
    """The wait before the attempt after ``attempt`` (0 for the first): doubling, capped."""
    seconds = settings.TASKS_MAIL_RETRY_SECONDS * 2**attempt
    return datetime.timedelta(seconds=min(seconds, settings.TASKS_MAIL_RETRY_MAX_SECONDS))


def can_retry_later(task_obj) -> bool:
    """Whether the task's backend can hold a task until a given time (the database one can)."""
    return task_obj.get_backend().supports_defer


def queued() -> bool:
    """Whether e-mails go through a worker (false with the immediate backend: no worker)."""
    return can_retry_later(send_email)


def send_or_enqueue(messages: list[EmailMessage]) -> None:
    """One ``send_email`` task per message; without a worker, sent now.

    The immediate backend would swallow a mail server's error, so without a
    worker the task's function is called directly and the error reaches the
    caller, which decides what it means (a comment kept for moderation…).
    """
    for message in messages:
        if queued():
            send_email.enqueue(message=message_data(message))
        else:
            send_email.call(message=message_data(message))


@task(priority=MAIL_PRIORITY)
def send_email(*, message: dict, attempt: int = 0) -> str:
    """Send one e-mail; on a mail server failure, enqueue the next attempt and end.

    After TASKS_MAIL_MAX_ATTEMPTS, or with a backend that cannot wait (the
    immediate one), the error is raised: the task is recorded as failed,
    message included, in the task admin.
    """
    try:
        build_message(message).send()
    except MAIL_ERRORS:
        if attempt + 1 >= settings.TASKS_MAIL_MAX_ATTEMPTS or not can_retry_later(send_email):
            logger.exception("Giving up on an e-mail to %s after %d attempts.", message["to"], attempt + 1)
            raise
        delay = retry_delay(attempt)
        logger.warning("Mail server failure sending to %s; trying again in %s.", message["to"], delay)
        send_email.using(run_after=timezone.now() + delay).enqueue(message=message, attempt=attempt + 1)
        return "retrying"
    return "sent"


@task(priority=MAIL_PRIORITY)
def notify_followers(*, comment_id: int, site_url: str = "") -> int:
    """Enqueue one follow-up e-mail per reader following the article of a public comment.

    ``site_url`` is the address the comment was posted on (see
    ``services.site_url_of``); without it, links are on the Site's domain.
    """
    from django_comments_xtd.models import XtdComment

    from blog.models import Article

    from . import services

    comment = XtdComment.objects.filter(pk=comment_id, is_public=True, is_removed=False).first()
    if comment is None or not str(comment.object_pk).isdigit():
        return 0
    article = Article.objects.published().filter(pk=int(comment.object_pk)).first()
    if article is None:
        return 0
    messages = services.follower_messages(comment=comment, article=article, site_url=site_url or None)
    for message in messages:
        send_email.enqueue(message=message_data(message))
    return len(messages)


@task(priority=MAIL_PRIORITY)
def notify_authors(*, comment_id: int, site_url: str = "") -> int:
    """Enqueue the e-mail telling each author of the article about a public comment.

    Run by the worker like ``notify_followers``: the comment is read again,
    and nothing is sent if it is no longer public by then.
    """
    from django_comments_xtd.models import XtdComment

    from blog.models import Article

    from . import services

    comment = XtdComment.objects.filter(pk=comment_id, is_public=True, is_removed=False).first()
    if comment is None or not str(comment.object_pk).isdigit():
        return 0
    article = (
        Article.objects.published()
        .select_related("author__profile")
        .filter(pk=int(comment.object_pk))
        .first()
    )
    if article is None:
        return 0
    messages = services.author_messages(comment=comment, article=article, site_url=site_url or None)
    for message in messages:
        send_email.enqueue(message=message_data(message))
    return len(messages)
