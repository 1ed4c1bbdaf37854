"""The record of each erasure of a person's data: when, by whom, how much; never whose address.

The address itself is not kept. ``subject_digest`` is a keyed hash of it
(HMAC-SHA256 with the site's SECRET_KEY): it cannot be turned back into the
address, yet whoever is asked again about an address (after a backup is
restored, for instance) can tell that it was erased before and when. A new
SECRET_KEY makes the old digests match nothing.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ErasureRecord(models.Model):
    class Source(models.TextChoices):
        ADMIN = "admin", _("Admin")
        COMMAND = "command", _("Command")
        READER = "reader", _("Reader's request")

    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    source = models.CharField(_("requested through"), max_length=10, choices=Source.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for a command or a reader's own request."),
    )
    subject_digest = models.CharField(
        _("address digest"),
        max_length=64,
        db_index=True,
        help_text=_("A keyed hash of the e-mail address: the address itself is not kept."),
    )
    comments_deleted = models.PositiveIntegerField(_("comments deleted"), default=0)
    comments_anonymised = models.PositiveIntegerField(_("comments anonymised"), default=0)
    followups_stopped = models.PositiveIntegerField(_("follow-ups stopped"), default=0)
    subscriptions_deleted = models.PositiveIntegerField(_("newsletter subscriptions deleted"), default=0)
    login_records_deleted = models.PositiveIntegerField(_("login records deleted"), default=0)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal data erasure")
        verbose_name_plural = _("personal data erasures")
        # Nobody adds, changes or deletes these rows by hand: they are the trail.
        default_permissions = ("view",)
        permissions = [("manage_personal_data", _("Can look up, export and erase a person's data"))]

    def __str__(self):
        return _("Erasure of %(date)s") % {"date": timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M")}

    def get_absolute_url(self):
        return reverse("admin:privacy_erasurerecord_change", args=[self.pk])
