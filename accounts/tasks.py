"""The audit trail's retention, run daily by the worker (settings.PERIODIC_TASKS).

The command purge_audit_trail does the same from cron or by hand.
"""

from django.db import transaction

try:  # Django 6.0 brings the Tasks API; django-tasks is its backport for 5.2.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from . import audit


@task()
def purge_audit_trail() -> int:
    """Delete the entries older than AUDIT_RETENTION_DAYS; return how many went."""
    with transaction.atomic():
        return audit.purge()
