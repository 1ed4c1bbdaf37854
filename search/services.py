"""The search index's upkeep: each article's entry, from its text, keywords and category.

- PostgreSQL: ``Article.search_vector``, computed by the database. A trigger
  (search/migrations/0001) recomputes it whenever an article's row is written,
  reading its keywords and category name; when only those change, the rows
  are rewritten here so that the trigger runs.
- SQLite: a row of the FTS5 table per article, holding lexemes made in Python
  (:mod:`search.text`), written here.

:mod:`search.signals` calls :func:`search_index_update` on every write Django
signals; :func:`rebuild_search_vectors` redoes everything, for the writes that
send no signal (``QuerySet.update()``, ``bulk_create``, raw SQL).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import QuerySet

from blog.models import Article
from medialib.sanitize import html_to_text

from . import query
from .selectors import FTS_TABLE, SEARCH_CONFIG
from .text import indexed_text

# Articles read and written per round trip.
BATCH = 500
# The vector as the trigger computes it (functions of search/migrations/0001).
FRESH_VECTOR = "search_article_vector(title, excerpt, body, search_article_keywords(id, category_id))"


@dataclass(frozen=True)
class SearchIndexReport:
    """What a rebuild of the search index found and did."""

    supported: bool
    total: int = 0
    stale: int = 0
    rebuilt: int = 0


def index_entry(*, title: str, excerpt: str, body: str, keywords: Iterable[str]) -> tuple[str, str, str, str]:
    """An article's SQLite index entry: the lexemes of its title, excerpt, body and keywords.

    ``body`` is HTML; ``keywords`` are the category's name then the tags' names,
    in alphabetical order, as PostgreSQL's ``search_article_keywords`` lists them.
    """
    return (
        indexed_text(title),
        indexed_text(excerpt),
        indexed_text(html_to_text(body)),
        indexed_text(" ".join(name for name in keywords if name)),
    )


def entries(articles: QuerySet, tagged_items: QuerySet, content_type_id: int, ids: list[int]) -> dict:
    """The fresh index entries of the articles ``ids`` that exist, by id, in two queries.

    Takes the models' managers as arguments so that a migration can pass its historical ones.
    """
    rows = articles.filter(pk__in=ids).values_list("pk", "title", "excerpt", "body", "category__name")
    names = defaultdict(list)
    tags = tagged_items.filter(content_type_id=content_type_id, object_id__in=ids)
    for object_id, name in tags.order_by("tag__name").values_list("object_id", "tag__name"):
        names[object_id].append(name)
    return {
        pk: index_entry(title=title, excerpt=excerpt, body=body, keywords=[category, *names[pk]])
        for pk, title, excerpt, body, category in rows
    }


def write_entries(cursor, found: dict, ids: list[int]) -> None:
    """Store ``found`` (from :func:`entries`); drop the entries of the ``ids`` it lacks."""
    gone = [(pk,) for pk in ids if pk not in found]
    if gone:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", gone)
    if found:
        cursor.executemany(
            f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, title, excerpt, body, keywords) "
            "VALUES (%s, %s, %s, %s, %s)",
            [(pk, *entry) for pk, entry in found.items()],
        )


def _article_entries(ids: list[int]) -> dict:
    tagged_items = Article.tags.through.objects.all()
    content_type = ContentType.objects.get_for_model(Article)
    return entries(Article.objects.all(), tagged_items, content_type.pk, ids)


def search_index_update(*, article_ids: Iterable[int]) -> None:
    """Bring the index entries of ``article_ids`` up to date; deleted articles lose theirs.

    Runs in the caller's transaction: a rolled-back write leaves the index as it was.
    """
    ids = sorted({int(pk) for pk in article_ids if pk is not None})
    if not ids:
        return
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Article._meta.db_table)
        with connection.cursor() as cursor:
            for start in range(0, len(ids), BATCH):
                batch = ids[start : start + BATCH]
                cursor.execute(
                    f"UPDATE {table} SET search_vector = {FRESH_VECTOR} WHERE id = ANY(%s)", [batch]
                )
    elif connection.vendor == "sqlite":
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(ids), BATCH):
                batch = ids[start : start + BATCH]
                write_entries(cursor, _article_entries(batch), batch)


def articles_mentioning(name: str) -> list[int]:
    """The ids of the articles whose index entry holds the keyword ``name`` (or, on PostgreSQL,
    anywhere): a superset of those whose entry changes when that keyword goes away."""
    expression = query.parse(f'"{name.replace(chr(34), " ")}"')
    if not expression:
        return []
    if connection.vendor == "postgresql":
        found = Article.objects.filter(search_vector=query.search_query(expression, SEARCH_CONFIG))
        return list(found.values_list("pk", flat=True))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
                [query.fts5_match(expression, column="keywords")],
            )
            return [pk for (pk,) in cursor.fetchall()]
    return []


def rebuild_search_vectors(*, dry_run: bool = False) -> SearchIndexReport:
    """Recompute every article's index entry from its current text, keywords and category.

    Signals and the trigger keep entries up to date on each write; this is for
    after a change of the search configuration, a restore, or rows written
    without signals (``QuerySet.update()``, raw SQL). It counts the out-of-date
    entries first, so a dry run tells whether a rebuild is needed. On other
    databases there is no index and nothing to do.
    """
    if connection.vendor == "postgresql":
        return _rebuild_postgresql(dry_run)
    if connection.vendor == "sqlite":
        return _rebuild_sqlite(dry_run)
    return SearchIndexReport(supported=False, total=Article.objects.count())


def _rebuild_postgresql(dry_run: bool) -> SearchIndexReport:
    table = connection.ops.quote_name(Article._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), count(*) FILTER (WHERE search_vector IS DISTINCT FROM {FRESH_VECTOR}) "
            f"FROM {table}"
        )
        total, stale = cursor.fetchone()
        rebuilt = 0
        if not dry_run:
            cursor.execute(f"UPDATE {table} SET search_vector = {FRESH_VECTOR}")
            rebuilt = cursor.rowcount
    return SearchIndexReport(supported=True, total=total, stale=stale, rebuilt=rebuilt)


def _rebuild_sqlite(dry_run: bool) -> SearchIndexReport:
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    total = stale = rebuilt = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            found = _article_entries(batch)
            total += len(found)
            stale += len(found) - _count_same(cursor, found)
            if not dry_run:
                write_entries(cursor, found, batch)
                rebuilt += len(found)
        if not dry_run:
            # Entries of articles that no longer exist go too.
            table = connection.ops.quote_name(Article._meta.db_table)
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN (SELECT id FROM {table})")
    return SearchIndexReport(supported=True, total=total, stale=stale, rebuilt=rebuilt)


def _count_same(cursor, found: dict) -> int:
    """How many of ``found``'s entries are stored as they are."""
    if not found:
        return 0
    placeholders = ", ".join(["%s"] * len(found))
    cursor.execute(
        f"SELECT rowid, title, excerpt, body, keywords FROM {FTS_TABLE} WHERE rowid IN ({placeholders})",
        list(found),
    )
    return sum(1 for pk, *stored in cursor.fetchall() if tuple(stored) == found[pk])
