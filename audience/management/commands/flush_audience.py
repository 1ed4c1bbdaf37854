"""Write the page views buffered in the cache into the database (also run by the worker).

Run it every few minutes from cron when no worker runs: each period is
written once, so running it more often, or twice at once, does no harm.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from audience.services import counts_flush


class Command(BaseCommand):
    help = "Write the page views counted in the cache into the database (closed periods only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be written, write nothing."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        result = counts_flush(dry_run=dry_run)
        if verbosity < 1:
            return
        values = {
            "views": result.views,
            "buckets": result.buckets,
            "rows": result.rows,
            "dropped": result.dropped,
        }
        if dry_run:
            message = _("Dry run: %(views)d views from %(buckets)d periods would be written.") % values
            self.stdout.write(self.style.WARNING(message))
        else:
            message = (
                _(
                    "%(views)d views from %(buckets)d periods written (%(rows)d rows; "
                    "%(dropped)d views of unknown articles dropped)."
                )
                % values
            )
            self.stdout.write(self.style.SUCCESS(message))
