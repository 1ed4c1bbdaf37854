"""Delete comments marked as spam or removed, once they are old enough.

Recent ones are kept so that a moderator's mistake can still be undone.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from siteops.maintenance import comments_purge_spam


class Command(BaseCommand):
    help = _("Delete removed comments (spam and trash) submitted more than N days ago.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=30,
            metavar="DAYS",
            help=gettext_lazy("Only comments submitted more than this many days ago (default: 30)."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Count them without deleting anything.")
        )

    def handle(self, *args, **options):
        days = options["older_than"]
        if days < 0:
            raise CommandError(_("--older-than must be zero or more."))
        report = comments_purge_spam(older_than_days=days, dry_run=options["dry_run"])
        if not options["verbosity"]:
            return
        counts = {"deleted": report.deleted, "kept": report.kept_with_replies, "days": days}
        if options["dry_run"]:
            style = self.style.WARNING
            sentences = [
                ngettext(
                    "Dry run: %(deleted)d removed comment older than %(days)d days would be deleted.",
                    "Dry run: %(deleted)d removed comments older than %(days)d days would be deleted.",
                    report.deleted,
                )
            ]
            if report.kept_with_replies:
                sentences.append(
                    ngettext(
                        "%(kept)d would be kept because it has visible replies.",
                        "%(kept)d would be kept because they have visible replies.",
                        report.kept_with_replies,
                    )
                )
        else:
            style = self.style.SUCCESS
            sentences = [
                ngettext(
                    "%(deleted)d removed comment older than %(days)d days was deleted.",
                    "%(deleted)d removed comments older than %(days)d days were deleted.",
                    report.deleted,
                )
            ]
            if report.kept_with_replies:
                sentences.append(
                    ngettext(
                        "%(kept)d was kept because it has visible replies.",
                        "%(kept)d were kept because they have visible replies.",
                        report.kept_with_replies,
                    )
                )
        self.stdout.write(style(" ".join(sentence % counts for sentence in sentences)))
