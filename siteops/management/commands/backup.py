"""Back up the site's database content and media files into one archive.

Restore it with ``manage.py restore``. See ``siteops.backup`` for what the archive
holds and how it stays consistent while the site is in use. The archive holds
personal data (password hashes, login records, commenters' e-mail and IP
addresses) unless ``--exclude-personal-data`` is given; it is written readable
by its owner only.
"""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from siteops.backup import BackupError, site_backup


class Command(BaseCommand):
    help = _("Write a backup archive (.tar.gz) of the database content and the media files.")

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            help=_("The archive to write (default: backup-YYYYMMDD-HHMMSS.tar.gz in the current folder)."),
        )
        parser.add_argument(
            "--exclude",
            action="append",
            default=[],
            metavar="APP_LABEL[.MODEL]",
            help=_("Leave an application or a model out of the backup (may be repeated)."),
        )
        parser.add_argument(
            "--exclude-personal-data",
            action="store_true",
            help=_(
                "Leave out password hashes (accounts get unusable passwords), login records, "
                "and commenters' e-mail and IP addresses."
            ),
        )

    def handle(self, *args, **options):
        path = options["output"] or f"backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        try:
            report = site_backup(
                path=path, exclude=options["exclude"], personal_data=not options["exclude_personal_data"]
            )
        except BackupError as error:
            raise CommandError(str(error))
        audit.record(
            audit.Action.BACKUP_MADE,
            details={
                "archive": path,
                "rows": sum(report.counts.values()),
                "media_files": report.media_files,
                "personal_data": not options["exclude_personal_data"],
            },
        )
        for name, problem in report.skipped:
            self.stderr.write(
                self.style.WARNING(
                    _("Media file %(name)s left out (restore would refuse it): %(problem)s.")
                    % {"name": name, "problem": problem}
                )
            )
        if options["verbosity"] >= 2:
            for label, count in sorted(report.counts.items()):
                self.stdout.write(f"  {label}: {count}")
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Backup written to %(path)s: %(rows)d rows, %(files)d media files (%(size)s).")
                    % {
                        "path": path,
                        "rows": sum(report.counts.values()),
                        "files": report.media_files,
                        "size": filesizeformat(report.media_bytes),
                    }
                )
            )
