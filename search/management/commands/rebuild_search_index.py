"""Recompute every article's entry in the full-text search index.

Entries follow each write on their own (a trigger on PostgreSQL, signals on
SQLite); run this after changing the search configuration, restoring a dump
made without triggers, writes that send no signal (``QuerySet.update()``, raw
SQL, on SQLite), or to check the index (``--dry-run`` only counts out-of-date entries).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from search.services import rebuild_search_vectors


class Command(BaseCommand):
    help = _("Recompute the full-text search index of all articles.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Count the out-of-date entries without changing anything."),
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        report = rebuild_search_vectors(dry_run=dry_run)
        if verbosity < 1:
            return
        if not report.supported:
            message = ngettext(
                "This database has no full-text index: search reads the %(total)d article "
                "directly. Nothing to rebuild.",
                "This database has no full-text index: search reads the %(total)d articles "
                "directly. Nothing to rebuild.",
                report.total,
            )
            self.stdout.write(message % {"total": report.total})
            return
        counts = {
            "articles": ngettext("%(count)d article", "%(count)d articles", report.total)
            % {"count": report.total},
            "stale": ngettext(
                "%(count)d with an out-of-date search entry",
                "%(count)d with an out-of-date search entry",
                report.stale,
            )
            % {"count": report.stale},
            "rebuilt": report.rebuilt,
        }
        if dry_run:
            self.stdout.write(_("Dry run: %(articles)s, %(stale)s. Nothing was changed.") % counts)
        else:
            message = ngettext(
                "Search index rebuilt: %(articles)s, %(stale)s before; %(rebuilt)d entry recomputed.",
                "Search index rebuilt: %(articles)s, %(stale)s before; %(rebuilt)d entries recomputed.",
                report.rebuilt,
            )
            self.stdout.write(self.style.SUCCESS(message % counts))
