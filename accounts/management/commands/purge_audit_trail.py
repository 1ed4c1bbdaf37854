"""Delete the audit trail's entries older than AUDIT_RETENTION_DAYS (run it daily, e.g. from cron)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import audit


class Command(BaseCommand):
    help = _("Delete the audit trail's entries older than AUDIT_RETENTION_DAYS.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Count the entries that would go, and delete nothing."),
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            count = audit.purge(dry_run=options["dry_run"])
        if not options["verbosity"]:
            return
        values = {"count": count, "days": settings.AUDIT_RETENTION_DAYS}
        if options["dry_run"]:
            message = ngettext(
                "Dry run: %(count)d entry older than %(days)d days would be deleted.",
                "Dry run: %(count)d entries older than %(days)d days would be deleted.",
                count,
            )
            self.stdout.write(message % values)
        else:
            message = ngettext(
                "%(count)d entry older than %(days)d days deleted.",
                "%(count)d entries older than %(days)d days deleted.",
                count,
            )
            self.stdout.write(self.style.SUCCESS(message % values))
