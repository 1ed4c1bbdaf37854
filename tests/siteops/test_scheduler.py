"""The worker's periodic jobs: each period's run enqueued once, by the first worker to look; no cron."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from blog.models import Article
from siteops import tasks
from siteops.models import PeriodicRun
from siteops.scheduler import due_at, enqueue_due_jobs
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_period_starts_at_a_multiple_of_its_length():
    now = datetime.datetime(2026, 3, 4, 10, 17, 42, tzinfo=datetime.UTC)
    assert due_at(every=3600, now=now) == datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)
    assert due_at(every=86400, now=now) == datetime.datetime(2026, 3, 4, tzinfo=datetime.UTC)


def test_each_period_runs_once(settings):
    settings.PERIODIC_TASKS = {"spam": {"task": "siteops.tasks.purge_spam", "every": 3600}}
    now = timezone.now()
    assert enqueue_due_jobs(now=now) == ["spam"]
    assert enqueue_due_jobs(now=now) == []
    assert enqueue_due_jobs(now=now + datetime.timedelta(hours=1)) == ["spam"]
    assert PeriodicRun.objects.count() == 2


@pytest.mark.parametrize(
    "job", [{"task": "siteops.tasks.purge_spam"}, {"every": 60}, {"task": "x", "every": 0}]
)
def test_a_wrong_entry_stops_the_worker_with_a_clear_message(settings, job):
    settings.PERIODIC_TASKS = {"wrong": job}
    with pytest.raises(ImproperlyConfigured, match="PERIODIC_TASKS"):
        enqueue_due_jobs()


def test_the_daily_job_closes_old_discussions(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=40))
    assert tasks.close_old_comments.call() == 1
    assert not Article.objects.get(pk=old.pk).comments_enabled


def test_the_default_schedule_names_real_tasks(settings):
    from django.utils.module_loading import import_string

    for job in settings.PERIODIC_TASKS.values():
        assert callable(import_string(job["task"]).enqueue)
