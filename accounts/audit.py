"""The audit trail: who did what to the site's content, roles and accounts, and when.

Most entries are written by the receivers in ``signals.py`` from the changes
themselves (an article's status before and after a save, a group's
permissions, an account's flags), so every way in, the admin, a service or a
command, is recorded alike. Events that are not a model's save call
``record()`` (restores, imports, erasures of personal data).

The actor is, unless given, the user of the request being answered
(``StaffSecurityMiddleware`` makes it known here); outside a request (a
command) it is empty.
"""

import contextvars
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.db import models
from django.utils import timezone

from blog.models import Article

from .models import AuditEntry

Action = AuditEntry.Action

_current_user = contextvars.ContextVar("accounts_audit_user", default=None)
# True while an import runs: it is recorded as a whole, not article by article.
_importing = contextvars.ContextVar("accounts_audit_importing", default=False)


def set_request_user(user):
    """Make ``user`` the default actor until ``reset_request_user(token)``."""
    return _current_user.set(user)


def reset_request_user(token):
    _current_user.reset(token)


def current_actor():
    """The signed-in user of the request being answered, or None."""
    user = _current_user.get()
    if user is None or not user.is_authenticated:
        return None
    return user


def record(action, *, actor=None, target=None, details=None) -> AuditEntry:
    """Add an entry to the audit trail and return it.

    ``action`` is an ``AuditEntry.Action`` (or its value); ``actor`` the user who
    did it (default: the user of the current request, if any); ``target`` the
    model instance concerned, if any; ``details`` a dict of JSON-serialisable
    values (dates allowed), e.g. ``{"status": ["draft", "published"]}`` for a
    before/after.
    """
    if action not in Action.values:
        raise ValueError(f"Unknown audit action: {action!r}")
    if details is not None and not isinstance(details, dict):
        raise TypeError("details must be a dict")
    if actor is None:
        actor = current_actor()
    entry = AuditEntry(action=action, details=details or {})
    if actor is not None:
        entry.actor_id = actor.pk
        entry.actor_name = actor.get_username()[:150]
    if target is not None:
        entry.target_type = target._meta.label_lower
        entry.target_id = str(target.pk)[:64]
        entry.target_repr = str(target)[:255]
    entry.save()
    return entry


def record_personal_data_erasure(*, subject: str, actor=None, target=None, details=None) -> AuditEntry:
    """Record that personal data was erased (a reader's request, a retention rule).

    ``subject`` says whose data in words that are not themselves the erased
    data (e.g. "commenter #42", never the e-mail address); ``details`` what was
    erased, by kind and count.
    """
    return record(
        Action.PERSONAL_DATA_ERASED,
        actor=actor,
        target=target,
        details={"subject": subject, **(details or {})},
    )


@contextmanager
def import_recorded(*, command: str, file, dry_run: bool = False):
    """Record the import run inside the ``with`` block, once it has finished without error.

    Dry runs are not recorded. The entry gives the command, the file, the
    number of articles (all, and published) before and after and, if the block
    sets ``outcome.report`` (an import report: ``source`` and ``counts`` per
    kind), what was created, updated and skipped::

        with audit.import_recorded(command="import_wordpress", file=path) as outcome:
            outcome.report = wordpress_import(path=path)

    The articles it publishes get no entry of their own (thousands, for a
    whole blog); changes of roles (the authors' accounts) still do.
    """
    before = article_counts()
    outcome = SimpleNamespace(report=None)
    token = _importing.set(True)
    try:
        yield outcome
    finally:
        _importing.reset(token)
    if dry_run:
        return
    after = article_counts()
    details = {
        "command": command,
        "file": str(file),
        "articles": [before["articles"], after["articles"]],
        "published": [before["published"], after["published"]],
    }
    report = outcome.report
    if report is not None:
        details["source"] = report.source
        details["counts"] = {kind: dict(counts) for kind, counts in report.counts.items() if counts}
    record(Action.IMPORTED, details=details)


def importing() -> bool:
    """Whether an import is running (``import_recorded``) in this thread or task."""
    return _importing.get()


def article_counts() -> dict:
    articles = Article._base_manager.all()
    return {
        "articles": articles.count(),
        "published": articles.filter(status=Article.Status.PUBLISHED).count(),
    }


def entries_to_purge(*, now=None) -> models.QuerySet:
    """The entries older than ``AUDIT_RETENTION_DAYS``."""
    now = now or timezone.now()
    return AuditEntry.objects.filter(at__lt=now - timedelta(days=settings.AUDIT_RETENTION_DAYS))


def purge(*, now=None, dry_run=False) -> int:
    """Delete the entries older than ``AUDIT_RETENTION_DAYS``; return how many there were.

    The purge itself is recorded, so the trail shows when it was shortened.
    """
    old = entries_to_purge(now=now)
    count = old.count()
    if not dry_run and count:
        old.delete()
        record(
            Action.AUDIT_PURGED, details={"entries": count, "retention_days": settings.AUDIT_RETENTION_DAYS}
        )
    return count
