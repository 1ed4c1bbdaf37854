"""The real database worker against a real SMTP server that goes down mid-run: every message arrives, once."""

import pytest
from django.core import mail

from comments import services as comment_services
from newsletter import tasks
from newsletter.models import ArticleSend, Delivery
from siteops.scheduler import enqueue_due_jobs
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def test_follow_up_e_mails_survive_a_mail_server_outage(smtp_sink, database_tasks):
    article = ArticleFactory()
    followers = [f"suivi{i}@example.org" for i in range(6)]
    for email in followers:
        CommentFactory(article=article, user_email=email, followup=True)
    comment = CommentFactory(article=article, user_email="auteur@example.org")

    comment_services.notify_followers(comment=comment, article=article)
    assert smtp_sink.messages == [], "nothing is sent in the request"

    database_tasks(max_tasks=1)  # the fan-out: one task per follower
    database_tasks(max_tasks=2)
    assert len(smtp_sink.messages) == 2
    smtp_sink.stop()
    database_tasks(max_tasks=3)  # three attempts fail and are queued again
    smtp_sink.start()
    database_tasks()

    assert smtp_sink.recipients() == sorted(followers)
    assert mail.outbox == []


def test_a_newsletter_survives_a_mail_server_outage_and_is_sent_once(
    smtp_sink, database_tasks, subscribe, settings
):
    settings.NEWSLETTER_BATCH_SIZE = 3
    settings.NEWSLETTER_RATE_PER_MINUTE = 10**6  # batches due at once
    emails = [f"abonne{i}@example.org" for i in range(8)]
    for email in emails:
        subscribe(email)
    article = ArticleFactory(title="Nouvel article")

    tasks.dispatch_new_articles.enqueue()
    database_tasks(max_tasks=2)  # dispatch, then send_article writes the rows and queues 3 batches
    assert Delivery.objects.filter(article=article).count() == 8
    database_tasks(max_tasks=1)  # one batch
    assert len(smtp_sink.messages) == 3
    smtp_sink.stop()
    database_tasks(max_tasks=2)  # two batches fail on their first message, go back to the queue
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3
    smtp_sink.start()
    database_tasks()

    assert smtp_sink.recipients() == sorted(emails)
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}

    # Published again (or the dispatch running again): nobody gets it twice.
    ArticleSend.objects.all().delete()
    tasks.dispatch_new_articles.enqueue()
    database_tasks()
    assert smtp_sink.recipients() == sorted(emails)


def test_the_worker_s_scheduler_enqueues_each_period_s_job_once(database_tasks, settings):
    settings.PERIODIC_TASKS = {"spam": {"task": "siteops.tasks.purge_spam", "every": 3600}}
    assert enqueue_due_jobs() == ["spam"]
    assert enqueue_due_jobs() == [], "another worker looking in the same period finds it done"
    database_tasks()
