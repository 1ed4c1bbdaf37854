"""The security of staff accounts: the audit trail and each account's session generation."""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One thing someone did that the site must be able to account for later.

    Nothing here points at another table: the trail outlives the accounts and
    the articles it names, and a restore, which empties and reloads the
    content's tables, never touches it. The actor and the target are kept by
    id and by name, as they were at the time.
    """

    class Action(models.TextChoices):
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        DELETED = "deleted", _("Deleted")
        VERSION_RESTORED = "version_restored", _("Version restored")
        ROLE_CHANGED = "role_changed", _("Role changed")
        PERSONAL_DATA_ERASED = "personal_data_erased", _("Personal data erased")
        IMPORTED = "imported", _("Import")
        BACKUP_MADE = "backup_made", _("Backup made")
        BACKUP_RESTORED = "backup_restored", _("Backup restored")
        TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("Two-factor authentication set up")
        TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor authentication reset")
        BACKUP_CODE_USED = "backup_code_used", _("Backup code used")
        SECURITY_KEY_ADDED = "security_key_added", _("Security key or passkey added")
        SECURITY_KEY_REMOVED = "security_key_removed", _("Security key or passkey removed")
        SESSIONS_REVOKED = "sessions_revoked", _("Logged out everywhere")
        AUDIT_PURGED = "audit_purged", _("Old audit entries purged")

    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    actor_id = models.BigIntegerField(_("actor's account id"), null=True, blank=True)
    actor_name = models.CharField(
        _("by"), max_length=150, blank=True, help_text=_("Empty when a command or the site itself did it.")
    )
    target_type = models.CharField(_("kind of object"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["target_type", "target_id"], name="accounts_audit_target")]

    def __str__(self):
        return f"{self.get_action_display()} · {self.target_repr or '—'}"

    def get_absolute_url(self):
        return reverse("admin:accounts_auditentry_change", args=[self.pk])


class AccountSecurity(models.Model):
    """Per account: the generation of its sessions.

    Each session remembers the generation it was opened under; "log out
    everywhere" moves the account to the next one, and the middleware closes
    every session of an older generation on its next request.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="security",
    )
    session_generation = models.PositiveIntegerField(_("session generation"), default=0)
    sessions_revoked_at = models.DateTimeField(_("last logged out everywhere"), null=True, blank=True)

    class Meta:
        ordering = ["user"]
        verbose_name = _("account security")
        verbose_name_plural = _("my account's security")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("accounts:account")


class StaffAccount(User):
    """The accounts as superusers see them for recovery: second factor and sessions.

    A proxy of ``User`` imported by name (the project keeps Django's user
    model): ``get_user_model()`` cannot be called here, this app's models being
    loaded before django.contrib.auth's (see INSTALLED_APPS).
    """

    class Meta:
        proxy = True
        ordering = ["username"]
        verbose_name = _("staff account (second factor)")
        verbose_name_plural = _("staff accounts (second factor)")

    def get_absolute_url(self):
        return reverse("admin:accounts_staffaccount_change", args=[self.pk])
