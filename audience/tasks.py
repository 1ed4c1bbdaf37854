"""The periodic flush of the buffered page views (settings.PERIODIC_TASKS).

The command flush_audience does the same from cron or by hand.
"""

try:  # Django 6.0 brings the Tasks API; django-tasks is its backport for 5.2.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from .services import counts_flush


@task()
def flush_counts() -> int:
    """Write the closed periods' views into the database; returns the number of views written."""
    return counts_flush().views
