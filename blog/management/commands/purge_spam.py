"""Delete comments marked as spam or removed, once they are old enough.

Recent ones are kept so that a moderator's mistake can still be undone.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from blog.maintenance import comments_purge_spam


class Command(BaseCommand):
    help = _("Delete removed comments (spam and trash) submitted more than N days ago.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=30,
            metavar="DAYS",
            help=_("Only comments submitted more than this many days ago (default: 30)."),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Count them without deleting anything."))

    def handle(self, *args, **options):
        days = options["older_than"]
        if days < 0:
            raise CommandError(_("--older-than must be zero or more."))
        report = comments_purge_spam(older_than_days=days, dry_run=options["dry_run"])
        if not options["verbosity"]:
            return
        counts = {"deleted": report.deleted, "kept": report.kept_with_replies, "days": days}
        if options["dry_run"]:
            message = _("Dry run: %(deleted)d removed comments older than %(days)d days would be deleted")
            style = self.style.WARNING
        else:
            message = _("%(deleted)d removed comments older than %(days)d days deleted")
            style = self.style.SUCCESS
        if report.kept_with_replies:
            message += _("; %(kept)d kept because they have visible replies")
        self.stdout.write(style((message + ".") % counts))
