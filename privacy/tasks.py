"""The retention purge, run daily by the worker (settings.PERIODIC_TASKS); purge_personal_data from cron."""

try:  # Django 6.0 brings the Tasks API; django-tasks is its backport for 5.2.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from .services import purge_expired_personal_data


@task()
def purge_personal_data() -> dict:
    """Erase the IP addresses and addresses whose retention period is over."""
    report = purge_expired_personal_data()
    return {"ip_addresses": report.ip_addresses_erased, "removed_emails": report.removed_emails_erased}
