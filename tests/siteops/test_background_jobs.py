"""The link check and the pruning of finished task rows, as periodic jobs of the worker."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

try:
    from django.tasks import TaskResultStatus
except ImportError:
    from django_tasks import TaskResultStatus

from siteops import tasks
from siteops.models import PeriodicRun
from siteops.scheduler import due_at, enqueue_due_jobs, periodic_runs_prune
from tests.factories import ArticleFactory
from tests.siteops import test_maintenance
from tests.smtp_sink import DATABASE_TASKS

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
# A local web server answering 200, 404, 500… by path, and the commands' runner (in English).
local_server = test_maintenance.local_server
run = test_maintenance.run


# Links ----------------------------------------------------------------------


@pytest.fixture
def article_with_links(local_server):
    return ArticleFactory(
        title="Avec liens",
        body=f'<p><a href="{local_server}/ok">ok</a> <a href="{local_server}/missing">perdu</a></p>',
    )


def test_the_link_task_reports_broken_links_in_its_result_and_by_mail(
    article_with_links,
    local_server,
    settings,
):
    settings.LINK_CHECK_REPORT_TO = ["webmestre@example.org"]
    result = tasks.check_links.enqueue()
    assert result.return_value == {
        "articles": 1,
        "links": 2,
        "broken": [
            {
                "article": article_with_links.get_absolute_url(),
                "title": "Avec liens",
                "url": f"{local_server}/missing",
                "reason": "404 Not Found",
            }
        ],
    }
    [message] = mail.outbox
    assert message.to == ["webmestre@example.org"]
    assert f"Avec liens ({article_with_links.get_absolute_url()})" in message.body
    assert f"  {local_server}/missing: 404 Not Found" in message.body
    assert f"{local_server}/ok" not in message.body


def test_no_mail_without_broken_links_or_without_recipients(local_server, settings):
    ArticleFactory(body=f'<a href="{local_server}/ok">ok</a>')
    settings.LINK_CHECK_REPORT_TO = ["webmestre@example.org"]
    assert tasks.check_links.enqueue().return_value["broken"] == []
    ArticleFactory(body=f'<a href="{local_server}/missing">perdu</a>')
    settings.LINK_CHECK_REPORT_TO = []
    assert len(tasks.check_links.enqueue().return_value["broken"]) == 1
    assert mail.outbox == []


def test_the_command_still_prints_the_same_report(article_with_links, local_server):
    output = run("check_links")
    assert (
        f"Avec liens ({article_with_links.get_absolute_url()})\n  {local_server}/missing: 404 Not Found"
        in output
    )
    assert "2 links checked in 1 articles, 1 broken." in output


def test_the_link_check_is_weekly_by_default(settings):
    job = settings.PERIODIC_TASKS["check-links"]
    assert job == {"task": "siteops.tasks.check_links", "every": 7 * 24 * 60 * 60}


def settings_seen_with(**environ):
    code = "from django.conf import settings; print(sorted(settings.PERIODIC_TASKS.items()))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **environ}
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def test_the_link_check_can_be_turned_off_or_spaced_out():
    assert "check-links" not in settings_seen_with(LINK_CHECK_EVERY_DAYS="0")
    assert "'every': 2592000" in settings_seen_with(LINK_CHECK_EVERY_DAYS="30")


def test_the_scheduler_enqueues_the_link_check_for_the_worker(settings):
    settings.TASKS = DATABASE_TASKS
    settings.PERIODIC_TASKS = {"check-links": settings.PERIODIC_TASKS["check-links"]}
    assert enqueue_due_jobs() == ["check-links"]
    row = DBTaskResult.objects.get()
    assert row.task_path == "siteops.tasks.check_links"
    assert row.status == TaskResultStatus.READY
    assert PeriodicRun.objects.get().task_id == str(row.pk)


# Pruning finished task rows -------------------------------------------------


def task_row(*, status, days_ago):
    """A task row of the database queue, finished (or enqueued) ``days_ago`` days ago."""
    result = tasks.purge_spam.enqueue()
    when = timezone.now() - datetime.timedelta(days=days_ago)
    finished = status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=status, enqueued_at=when, finished_at=when if finished else None
    )
    return result.id


def test_old_finished_rows_go_recent_and_unfinished_ones_stay(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASKS_KEEP_RESULTS_DAYS = 14
    settings.TASKS_KEEP_FAILED_RESULTS_DAYS = 30
    gone = {
        task_row(status=TaskResultStatus.SUCCESSFUL, days_ago=15),
        task_row(status=TaskResultStatus.FAILED, days_ago=31),
    }
    kept = {
        task_row(status=TaskResultStatus.SUCCESSFUL, days_ago=13),
        task_row(status=TaskResultStatus.FAILED, days_ago=20),  # failures are kept longer
        task_row(status=TaskResultStatus.READY, days_ago=100),  # still queued
        task_row(status=TaskResultStatus.RUNNING, days_ago=100),
    }
    tasks.prune_task_results.call()
    left = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert left == {str(pk) for pk in kept}
    assert not left & {str(pk) for pk in gone}


def test_the_pruning_is_a_daily_job_run_by_the_worker(settings):
    assert settings.PERIODIC_TASKS["prune-task-results"] == {
        "task": "siteops.tasks.prune_task_results",
        "every": 24 * 60 * 60,
    }
    assert settings.TASKS_KEEP_RESULTS_DAYS == 14


def test_without_the_database_queue_there_is_nothing_to_prune():
    # The tests' immediate backend keeps no rows: the job does nothing and does not fail.
    assert tasks.prune_task_results.enqueue().status == TaskResultStatus.SUCCESSFUL


def test_the_scheduler_record_of_past_periods_is_pruned_too(settings):
    settings.PERIODIC_TASKS = {
        "often": {"task": "siteops.tasks.purge_spam", "every": 300},
        "bimonthly": {"task": "siteops.tasks.purge_spam", "every": 60 * 86400},
    }
    now = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)
    current = due_at(every=60 * 86400, now=now)
    assert now - current > datetime.timedelta(days=14)  # this period began 56 days ago

    def run(name, when):
        return PeriodicRun.objects.create(name=name, due_at=when).pk

    days = datetime.timedelta(days=1)
    old = {
        run("often", now - 15 * days),
        run("gone-job", now - 20 * days),
        run("bimonthly", current - 60 * days),
    }
    kept = {run("often", now - 13 * days), run("gone-job", now - days), run("bimonthly", current)}
    assert periodic_runs_prune(older_than_days=14, now=now) == 3
    assert set(PeriodicRun.objects.values_list("pk", flat=True)) == kept
    assert not PeriodicRun.objects.filter(pk__in=old).exists()
    # The current period's row stayed: that run is not enqueued again.
    assert enqueue_due_jobs(now=now) == ["often"]


def test_the_daily_job_prunes_the_scheduler_record(settings):
    settings.TASKS_KEEP_RESULTS_DAYS = 14
    PeriodicRun.objects.create(name="gone-job", due_at=timezone.now() - datetime.timedelta(days=15))
    assert tasks.prune_task_results.call() == 1
    assert not PeriodicRun.objects.exists()
