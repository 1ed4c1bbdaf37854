"""Restore a backup made by ``manage.py backup`` onto an empty site.

Run ``manage.py migrate`` first on the new database. The archive is checked
whole before anything is written (see ``siteops.backup``); the restore then
happens in one transaction: if anything fails, the database is left as it was.
Accounts are restored only with ``--include-users``; their second factors are
not in a backup (emptying the accounts' table removes this site's), so staff set
them up again at their next login.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts import audit
from siteops.backup import BackupError, site_restore


class Command(BaseCommand):
    help = _("Restore a backup archive (database content and media files) onto an empty site.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("The archive written by the backup command."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Restore even if the site has content: everything it has is replaced."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Check and load the archive, then roll back: nothing is changed."),
        )
        parser.add_argument(
            "--include-users",
            action="store_true",
            help=_(
                "Restore the archive's accounts too (with their passwords and rights). Without it, "
                "accounts stay as they are on this site, and the content refers to them by username."
            ),
        )

    def handle(self, *args, **options):
        try:
            report = site_restore(
                path=options["archive"],
                force=options["force"],
                dry_run=options["dry_run"],
                include_users=options["include_users"],
            )
        except BackupError as error:
            raise CommandError(str(error))
        if not options["dry_run"]:
            audit.record(
                audit.Action.BACKUP_RESTORED,
                details={
                    "archive": str(options["archive"]),
                    "rows": sum(report.counts.values()),
                    "media_files": report.media_files,
                    "force": options["force"],
                    "include_users": options["include_users"],
                },
            )
        if not options["verbosity"]:
            return
        counts = {"rows": sum(report.counts.values()), "files": report.media_files}
        if options["dry_run"]:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Dry run: %(rows)d rows and %(files)d media files would be restored; "
                        "nothing was changed."
                    )
                    % counts
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(_("%(rows)d rows and %(files)d media files restored.") % counts)
            )
