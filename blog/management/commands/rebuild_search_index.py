"""Recompute the full-text search vector of every article.

A trigger keeps each article's vector up to date on PostgreSQL; run this after
changing the search configuration, restoring a dump made without triggers, or
to check the index (``--dry-run`` only counts out-of-date vectors).
"""

from django.core.management.base import BaseCommand

from blog.search import rebuild_search_vectors


class Command(BaseCommand):
    help = "Recompute the full-text search index of all articles (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count the out-of-date entries without changing anything.",
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        report = rebuild_search_vectors(dry_run=dry_run)
        if verbosity < 1:
            return
        if not report.supported:
            self.stdout.write(
                f"This database has no full-text index: search reads the {report.total} articles "
                "directly. Nothing to rebuild."
            )
            return
        summary = f"{report.total} articles, {report.stale} with an out-of-date search entry"
        if dry_run:
            self.stdout.write(f"Dry run: {summary}. Nothing was changed.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Search index rebuilt: {summary} before; {report.rebuilt} entries recomputed."
                )
            )
