"""The audit trail's receivers: entries written from the changes themselves.

Saves from ``loaddata`` (``raw``) are skipped: a restore is recorded once,
as a whole, by the command that runs it; so are the articles an import
publishes (see ``audit.import_recorded``).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django_otp_webauthn.models import WebAuthnCredential

from blog.models import Article
from editorial.models import ArticleRevision
from editorial.signals import article_revision_restored

from .audit import Action, importing, record, record_personal_data_erasure
from .services import (
    HAS_DEVICE_KEY,
    LAST_SEEN_KEY,
    SESSION_GENERATION_KEY,
    has_second_factor,
    idle_clock,
    stored_session_generation,
)

User = get_user_model()
# Account flags whose change is a change of role.
ROLE_FLAGS = ("is_superuser", "is_staff", "is_active")
# Where a receiver keeps what an instance was before its save (our own attribute).
BEFORE = "_accounts_audit_before"


def _concerns(update_fields, names):
    return update_fields is None or any(name in update_fields for name in names)


# Articles: publication and deletion ------------------------------------------------


@receiver(pre_save, sender=Article, dispatch_uid="accounts_audit_article_before")
def article_before_save(sender, instance, raw, update_fields, **kwargs):
    if raw or importing() or instance.pk is None or not _concerns(update_fields, ("status", "published_at")):
        return
    setattr(
        instance,
        BEFORE,
        sender._base_manager.filter(pk=instance.pk).values("status", "published_at").first(),
    )


@receiver(post_save, sender=Article, dispatch_uid="accounts_audit_article_after")
def article_after_save(sender, instance, created, raw, **kwargs):
    if raw or importing():
        return  # an import's own entry counts what it published
    before = instance.__dict__.pop(BEFORE, None)
    if before is None and not created:
        return  # the save wrote neither the status nor the date
    was_published = before is not None and before["status"] == Article.Status.PUBLISHED
    is_published = instance.status == Article.Status.PUBLISHED
    if was_published == is_published:
        return
    details = {
        "status": [before["status"] if before else None, instance.status],
        "published_at": instance.published_at,
    }
    if is_published:
        details["scheduled"] = instance.is_scheduled
    record(Action.PUBLISHED if is_published else Action.UNPUBLISHED, target=instance, details=details)


@receiver(post_delete, sender=Article, dispatch_uid="accounts_audit_article_deleted")
def article_deleted(sender, instance, **kwargs):
    record(
        Action.DELETED,
        target=instance,
        details={"title": instance.title, "status": instance.status, "published_at": instance.published_at},
    )


@receiver(article_revision_restored, sender=ArticleRevision, dispatch_uid="accounts_audit_revision")
def revision_restored(sender, revision, article, user, **kwargs):
    record(
        Action.VERSION_RESTORED,
        actor=user if user is not None and user.is_authenticated else None,
        target=article,
        details={"revision": revision.pk, "revision_saved_at": revision.created_at},
    )


# Roles: account flags, groups, permissions ----------------------------------------------


@receiver(pre_save, sender=User, dispatch_uid="accounts_audit_user_before")
def user_before_save(sender, instance, raw, update_fields, **kwargs):
    # Logging in saves last_login alone: no query then.
    if raw or instance.pk is None or not _concerns(update_fields, ROLE_FLAGS):
        return
    setattr(instance, BEFORE, sender._base_manager.filter(pk=instance.pk).values(*ROLE_FLAGS).first())


@receiver(post_save, sender=User, dispatch_uid="accounts_audit_user_after")
def user_after_save(sender, instance, created, raw, **kwargs):
    if raw:
        return
    before = instance.__dict__.pop(BEFORE, None)
    if created:
        changes = {flag: [None, True] for flag in ("is_superuser", "is_staff") if getattr(instance, flag)}
    elif before is None:
        return
    else:
        changes = {
            flag: [before[flag], getattr(instance, flag)]
            for flag in ROLE_FLAGS
            if before[flag] != getattr(instance, flag)
        }
    if changes:
        record(Action.ROLE_CHANGED, target=instance, details=changes)


@receiver(post_delete, sender=User, dispatch_uid="accounts_audit_user_deleted")
def user_deleted(sender, instance, **kwargs):
    """An account's deletion erases its personal data: recorded by id alone, without its name or e-mail."""
    record_personal_data_erasure(
        subject=f"account #{instance.pk}",
        details={
            "account_deleted": instance.pk,
            "is_staff": instance.is_staff,
            "is_superuser": instance.is_superuser,
        },
    )


def _permission_names(pks):
    return sorted(
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(pk__in=pks).values_list(
            "content_type__app_label", "codename"
        )
    )


def _group_names(pks):
    return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))


def _relation_changed(*, action, instance, reverse, model, pk_set, field, owner_model, names_of):
    """Record an add/remove/clear on ``owner_model.<field>`` (e.g. a user's groups).

    ``reverse`` is true when the change was made from the other side (a group's
    ``user_set``): then each owner named in ``pk_set`` gains or loses ``instance``.
    """
    if action == "pre_clear":
        # What a clear removes is known only before it.
        owners = [instance] if not reverse else list(owner_model._base_manager.filter(**{field: instance}))
        for owner in owners:
            removed = [instance.pk] if reverse else list(getattr(owner, field).values_list("pk", flat=True))
            if removed:
                _record_relation(owner, field, names_of, added=[], removed=removed)
        return
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    changed = sorted(pk_set)
    if reverse:
        for owner in owner_model._base_manager.filter(pk__in=changed):
            _record_relation(
                owner,
                field,
                names_of,
                added=[instance.pk] if action == "post_add" else [],
                removed=[instance.pk] if action == "post_remove" else [],
            )
    else:
        _record_relation(
            instance,
            field,
            names_of,
            added=changed if action == "post_add" else [],
            removed=changed if action == "post_remove" else [],
        )


def _record_relation(owner, field, names_of, *, added, removed):
    after = set(getattr(owner, field).values_list("pk", flat=True))
    before = (after - set(added)) | set(removed)
    record(
        Action.ROLE_CHANGED,
        target=owner,
        details={
            field: {
                "added": names_of(added),
                "removed": names_of(removed),
                "before": names_of(before),
                "after": names_of(after),
            }
        },
    )


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts_audit_user_groups")
def user_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    _relation_changed(
        action=action,
        instance=instance,
        reverse=reverse,
        model=model,
        pk_set=pk_set,
        field="groups",
        owner_model=User,
        names_of=_group_names,
    )


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="accounts_audit_user_perms")
def user_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    _relation_changed(
        action=action,
        instance=instance,
        reverse=reverse,
        model=model,
        pk_set=pk_set,
        field="user_permissions",
        owner_model=User,
        names_of=_permission_names,
    )


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="accounts_audit_group_perms")
def group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    _relation_changed(
        action=action,
        instance=instance,
        reverse=reverse,
        model=model,
        pk_set=pk_set,
        field="permissions",
        owner_model=Group,
        names_of=_permission_names,
    )


@receiver(pre_delete, sender=Group, dispatch_uid="accounts_audit_group_deleted")
def group_deleted(sender, instance, **kwargs):
    # Its memberships go with it, without an m2m_changed signal: name them now.
    record(
        Action.ROLE_CHANGED,
        target=instance,
        details={
            "group_deleted": instance.name,
            "members": sorted(instance.user_set.values_list("username", flat=True)),
        },
    )


# Sessions ----------------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="accounts_session_generation")
def remember_session_generation(sender, request, user, **kwargs):
    """A new session belongs to the account's current generation (see AccountSecurity)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_GENERATION_KEY] = stored_session_generation(user)
        request.session[LAST_SEEN_KEY] = idle_clock()
        if user.is_staff:
            request.session[HAS_DEVICE_KEY] = has_second_factor(user)


# Security keys: registered by django-otp-webauthn's own view -----------------------


@receiver(post_save, sender=WebAuthnCredential)
def record_security_key_added(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        record(
            Action.SECURITY_KEY_ADDED,
            actor=instance.user,
            target=instance.user,
            details={"name": instance.name},
        )
