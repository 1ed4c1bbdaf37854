"""The operator's routine jobs, run periodically by the worker (settings.PERIODIC_TASKS).

The commands close_old_comments, purge_spam, check_links and django-tasks-db's
prune_db_task_results do the same from cron or by hand.
"""

import io
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.core.management import call_command
from django.utils.translation import gettext as _
from django_tasks_db.backend import DatabaseBackend

try:  # Django 6.0 brings the Tasks API; django-tasks is its backport for 5.2.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from .maintenance import comments_close_old, comments_purge_spam, links_check
from .scheduler import periodic_runs_prune

logger = logging.getLogger(__name__)


@task()
def close_old_comments() -> int:
    """Close the discussions older than COMMENTS_CLOSE_AFTER_DAYS (0: never)."""
    if not settings.COMMENTS_CLOSE_AFTER_DAYS:
        return 0
    return len(comments_close_old(days=settings.COMMENTS_CLOSE_AFTER_DAYS))


@task()
def purge_spam() -> int:
    """Delete the removed comments older than COMMENTS_PURGE_SPAM_DAYS."""
    return comments_purge_spam(older_than_days=settings.COMMENTS_PURGE_SPAM_DAYS).deleted


@task()
def check_links() -> dict:
    """Check the links of the published articles, as ``manage.py check_links`` does.

    Nobody reads a worker's output: the broken links are logged, e-mailed to
    LINK_CHECK_REPORT_TO when there are any, and returned, so the task's
    result in the admin's *Task results* keeps the whole report.
    """
    report = links_check()
    logger.info("Link check: %s", report.summary())
    for article, url, reason in report.broken:
        logger.warning("Broken link in %s: %s (%s)", article.get_absolute_url(), url, reason)
    if report.broken and settings.LINK_CHECK_REPORT_TO:
        send_mail(
            _("Broken links in the published articles"),
            "\n".join([*report.lines(), "", report.summary()]),
            settings.DEFAULT_FROM_EMAIL,
            settings.LINK_CHECK_REPORT_TO,
        )
    return report.as_data()


@task()
def prune_task_results() -> int:
    """Delete the finished task rows past their retention, with django-tasks-db's own command.

    Successful tasks go after TASKS_KEEP_RESULTS_DAYS, failed ones after
    TASKS_KEEP_FAILED_RESULTS_DAYS; queued and running ones always stay. The
    command logs how many rows it deleted. Only the database backend keeps
    rows: with another one there is nothing to prune. The scheduler's record
    of past periods goes after TASKS_KEEP_RESULTS_DAYS too (one row per run:
    288 a day for a five-minute job); returns how many of those went.
    """
    runs = periodic_runs_prune(older_than_days=settings.TASKS_KEEP_RESULTS_DAYS)
    backend = prune_task_results.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return runs
    call_command(
        "prune_db_task_results",
        backend=backend,
        queue_name="*",
        min_age_days=settings.TASKS_KEEP_RESULTS_DAYS,
        failed_min_age_days=settings.TASKS_KEEP_FAILED_RESULTS_DAYS,
        stdout=io.StringIO(),
    )
    return runs
