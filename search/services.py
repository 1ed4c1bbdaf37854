"""The search index's upkeep: rebuilding every article's full-text vector."""

from dataclasses import dataclass

from django.db import connection, transaction

from blog.models import Article


@dataclass(frozen=True)
class SearchIndexReport:
    """What a rebuild of the search index found and did."""

    supported: bool
    total: int = 0
    stale: int = 0
    rebuilt: int = 0


def rebuild_search_vectors(*, dry_run: bool = False) -> SearchIndexReport:
    """Recompute every article's search vector from its current text.

    The trigger keeps vectors up to date on each write; this is for after a
    change of the search configuration, a restore, or rows written with the
    trigger disabled. It counts the out-of-date vectors first, so a dry run
    tells whether a rebuild is needed. On databases without full-text search
    there is no index and nothing to do.
    """
    if connection.vendor != "postgresql":
        return SearchIndexReport(supported=False, total=Article.objects.count())
    table = connection.ops.quote_name(Article._meta.db_table)
    fresh = "blog_article_search_vector(title, excerpt, body)"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), count(*) FILTER (WHERE search_vector IS DISTINCT FROM {fresh}) FROM {table}"
        )
        total, stale = cursor.fetchone()
        rebuilt = 0
        if not dry_run:
            cursor.execute(f"UPDATE {table} SET search_vector = {fresh}")
            rebuilt = cursor.rowcount
    return SearchIndexReport(supported=True, total=total, stale=stale, rebuilt=rebuilt)
