"""Erase what the retention periods no longer allow (the daily job does the same): for cron or by hand."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy.services import purge_expired_personal_data


class Command(BaseCommand):
    help = _(
        "Erase the IP address of comments older than PRIVACY_COMMENT_IP_DAYS and the e-mail address "
        "of removed comments older than COMMENTS_PURGE_SPAM_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Count what would be erased, change nothing.")
        )

    def handle(self, *args, dry_run, verbosity, **options):
        report = purge_expired_personal_data(dry_run=dry_run)
        if verbosity < 1:
            return
        values = {
            "ips": report.ip_addresses_erased,
            "ip_days": settings.PRIVACY_COMMENT_IP_DAYS,
            "emails": report.removed_emails_erased,
            "spam_days": settings.COMMENTS_PURGE_SPAM_DAYS,
        }
        if dry_run:
            message = _(
                "Dry run: %(ips)d IP address(es) older than %(ip_days)d days and %(emails)d e-mail "
                "address(es) of removed comments older than %(spam_days)d days would be erased."
            )
            self.stdout.write(self.style.WARNING(message % values))
        else:
            message = _(
                "%(ips)d IP address(es) older than %(ip_days)d days and %(emails)d e-mail address(es) "
                "of removed comments older than %(spam_days)d days erased."
            )
            self.stdout.write(self.style.SUCCESS(message % values))
