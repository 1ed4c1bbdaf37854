"""The operator's routine jobs, run periodically by the worker (settings.PERIODIC_TASKS).

The commands close_old_comments and purge_spam do the same from cron or by hand.
"""

from django.conf import settings

try:  # Django 6.0 brings the Tasks API; django-tasks is its backport for 5.2.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from .maintenance import comments_close_old, comments_purge_spam


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
