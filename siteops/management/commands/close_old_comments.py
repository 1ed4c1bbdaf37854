"""Close the discussion on articles published long ago.

Old articles attract mostly spam; closing them keeps moderation light. Readers
still see the comments already there.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from siteops.maintenance import comments_close_old


class Command(BaseCommand):
    help = _(
        "Close comments on articles published more than N days ago (COMMENTS_CLOSE_AFTER_DAYS by default)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=_("Age in days past which comments close (default: the COMMENTS_CLOSE_AFTER_DAYS setting)."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("List the articles without changing them.")
        )

    def handle(self, *args, **options):
        days = options["days"] if options["days"] is not None else settings.COMMENTS_CLOSE_AFTER_DAYS
        if days < 0:
            raise CommandError(_("--days must be zero or more."))
        articles = comments_close_old(days=days, dry_run=options["dry_run"])
        if options["verbosity"] >= 2:
            for article in articles:
                self.stdout.write(f"  {article.published_at:%Y-%m-%d}  {article.title}")
        if not options["verbosity"]:
            return
        if options["dry_run"]:
            message = ngettext(
                "Dry run: comments would be closed on %(count)d article.",
                "Dry run: comments would be closed on %(count)d articles.",
                len(articles),
            )
            self.stdout.write(self.style.WARNING(message % {"count": len(articles)}))
        else:
            message = ngettext(
                "Comments closed on %(count)d article published more than %(days)d days ago.",
                "Comments closed on %(count)d articles published more than %(days)d days ago.",
                len(articles),
            )
            self.stdout.write(self.style.SUCCESS(message % {"count": len(articles), "days": days}))
