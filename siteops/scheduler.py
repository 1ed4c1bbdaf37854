"""Periodic jobs without cron: the worker enqueues each period's run of settings.PERIODIC_TASKS.

A job of period ``every`` seconds is due at each multiple of ``every`` since the
Unix epoch (UTC): a daily job at midnight UTC, an hourly one on the hour. The
scheduler enqueues the current period's run if no ``PeriodicRun`` row has it
yet; the row and the task are written in one transaction, so a run is neither
lost nor doubled when several workers look at once. A period missed while no
worker ran is not made up for: the next period's run does the work (every job
here is "catch up on what is due", never "do this period's share").
"""

import datetime
import logging
import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicRun

logger = logging.getLogger(__name__)


def due_at(*, every: int, now: datetime.datetime) -> datetime.datetime:
    """The start of the period of ``every`` seconds that ``now`` falls in."""
    stamp = int(now.timestamp())
    return datetime.datetime.fromtimestamp(stamp - stamp % every, tz=datetime.UTC)


def periodic_jobs() -> dict[str, dict]:
    """settings.PERIODIC_TASKS, checked: a wrong entry stops the worker with a clear message."""
    jobs = {}
    for name, job in settings.PERIODIC_TASKS.items():
        every = job.get("every")
        if not isinstance(every, int) or every <= 0 or not job.get("task"):
            raise ImproperlyConfigured(
                f"PERIODIC_TASKS[{name!r}] needs a 'task' (dotted path) and 'every' (seconds, > 0)."
            )
        jobs[name] = job
    return jobs


def enqueue_due_jobs(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every periodic job whose current period has no run yet; returns their names."""
    now = now or timezone.now()
    started = []
    for name, job in periodic_jobs().items():
        due = due_at(every=job["every"], now=now)
        if PeriodicRun.objects.filter(name=name, due_at=due).exists():
            continue
        task = import_string(job["task"])
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(name=name, due_at=due)
                result = task.enqueue()
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another worker enqueued it a moment ago
        started.append(name)
    return started


def periodic_runs_prune(*, older_than_days: int, now: datetime.datetime | None = None) -> int:
    """Delete the ``PeriodicRun`` rows of periods that ended more than ``older_than_days`` ago.

    A job's row of the current period is always kept (whatever its length), or
    the scheduler would enqueue that period's run again. Returns how many went.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=older_than_days)
    jobs = periodic_jobs()
    deleted = PeriodicRun.objects.filter(due_at__lt=cutoff).exclude(name__in=jobs).delete()[0]
    for name, job in jobs.items():
        current = due_at(every=job["every"], now=now)
        deleted += PeriodicRun.objects.filter(name=name, due_at__lt=min(cutoff, current)).delete()[0]
    return deleted


class Scheduler(threading.Thread):
    """Looks for due jobs every TASKS_SCHEDULER_INTERVAL seconds, beside the worker's loop."""

    def __init__(self):
        super().__init__(name="periodic-jobs", daemon=True)
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            try:
                for name in enqueue_due_jobs():
                    logger.info("Periodic job %s enqueued.", name)
            except Exception:
                # A database hiccup must not end the scheduler; the next round tries again.
                logger.exception("Could not enqueue the periodic jobs.")
            finally:
                close_old_connections()
            self.stopped.wait(settings.TASKS_SCHEDULER_INTERVAL)
