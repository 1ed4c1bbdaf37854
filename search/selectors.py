"""Finding published articles by the words they contain.

A query is understood once (:mod:`search.query`: words, "phrases", ``-word``,
``or``), then searched the same way on both databases: accents are optional,
French words are stemmed ("stratégies" finds "stratégie"), and an article's
keywords and category count as its words.

- PostgreSQL: the stored ``Article.search_vector`` (kept by a trigger, served
  by a GIN index, built with the ``blog_french`` configuration) is matched, and
  ``ts_headline`` marks the words found.
- SQLite: an FTS5 table (``search_article_fts``, kept by :mod:`search.signals`)
  holds each article's lexemes (:mod:`search.text`), which Python's sqlite3
  cannot make at query time; the query's words are made into lexemes the same way.
- Other databases get a plain word-by-word match, with no stemming.

:func:`search_articles` picks the path from ``connection.vendor``. Whatever the
path, articles whose title matches come first, and only published articles are
ever found: the index only says which rows hold the words, the article query
decides which may be shown.
"""

import html
import re
import unicodedata

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    Func,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from blog.models import Article
from medialib.sanitize import html_to_text

from . import query as search_query
from .query import MAX_TERMS
from .text import lexeme, words

# Longer queries are refused with a message; no one types a paragraph into a search box.
MAX_QUERY_LENGTH = 100
# Words kept around the first match in a snippet.
SNIPPET_WORDS = 30
# ts_headline marks the words found with these private-use characters; the
# snippet is escaped as text and only then are they turned into <mark>, so
# nothing from the database is ever trusted as HTML.
MARK_START, MARK_STOP = "\ue000", "\ue001"
# The text search configuration made by the migration: French stemming, accents ignored.
SEARCH_CONFIG = "blog_french"
# SQLite's full-text table (search/migrations/0001): rowid = the article's id; title, excerpt,
# body and keywords (the category's name and the tags' names), as lexemes (search.text).
FTS_TABLE = "search_article_fts"

# Letters and digits; the underscore, a LIKE wildcard, is no part of a word.
_WORD = re.compile(r"[^\W_]+")
_TAG = r"<[^>]*>"


def clean_query(raw: str) -> str:
    """The query as searched: control characters dropped, spaces collapsed."""
    text = "".join(" " if unicodedata.category(char).startswith("C") else char for char in raw or "")
    return " ".join(text.split())


def query_terms(query: str) -> list[str]:
    """The words of ``query``, at most MAX_TERMS, one-letter words left out when others exist."""
    found = _WORD.findall(query)
    terms = [word for word in found if len(word) > 1] or found
    return list(dict.fromkeys(term.casefold() for term in terms))[:MAX_TERMS]


def search_articles(query: str, queryset: QuerySet | None = None) -> QuerySet:
    """Published articles matching ``query``, best first.

    ``queryset`` lets a view add what its template shows (``for_listing()``);
    it is narrowed to published articles whatever it was. Each result carries
    ``title_match`` (the title alone matches the query) and, on PostgreSQL and
    SQLite, ``rank``; :func:`snippets` gives the extracts.
    """
    queryset = (Article.objects.all() if queryset is None else queryset).published()
    expression = search_query.parse(query)
    if not expression:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, expression)
    if connection.vendor == "sqlite":
        return _search_sqlite(queryset, expression)
    return _search_fallback(queryset, query)


def _search_postgresql(queryset: QuerySet, expression: search_query.SearchExpression) -> QuerySet:
    # Imported here, as below, so that nothing PostgreSQL-specific runs on other databases.
    from django.contrib.postgres.search import SearchRank, SearchVectorField

    found = search_query.search_query(expression, SEARCH_CONFIG)
    title_words = Func(
        F("search_vector"), template="ts_filter(%(expressions)s, '{a}')", output_field=SearchVectorField()
    )
    return (
        _most_recent(queryset, queryset.filter(search_vector=found))
        .annotate(
            title_match=Func(
                title_words,
                found,
                arg_joiner=" @@ ",
                template="(%(expressions)s)",
                output_field=BooleanField(),
            ),
            rank=SearchRank(F("search_vector"), found),
        )
        .order_by("-title_match", "-rank", "-published_at", "-pk")
    )


def _fts_rows(match: str) -> RawSQL:
    """The ids of the articles whose index entry matches ``match`` (all articles: drafts too)."""
    return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])


def _search_sqlite(queryset: QuerySet, expression: search_query.SearchExpression) -> QuerySet:
    """Title matches first, then matches in the excerpt or keywords (weight B on PostgreSQL), then the
    rest (the body); the most recent first within each.

    bm25() would rank by word frequency too, but only from a correlated subquery
    per row, in which FTS5 recounts each phrase's documents: a second and a half
    for a phrase found in a thousand articles. Each ``IN`` here is read once.
    """
    in_title = _fts_rows(search_query.fts5_match(expression, column="title"))
    in_lead = _fts_rows(search_query.fts5_match(expression, column="{excerpt keywords}"))
    return (
        _most_recent(queryset, queryset.filter(pk__in=_fts_rows(search_query.fts5_match(expression))))
        .annotate(
            title_match=Case(When(pk__in=in_title, then=Value(True)), default=Value(False)),
            rank=Case(When(pk__in=in_lead, then=Value(2)), default=Value(1)),
        )
        .order_by("-title_match", "-rank", "-published_at", "-pk")
    )


def _most_recent(queryset: QuerySet, matches: QuerySet) -> QuerySet:
    """``queryset`` narrowed to the SEARCH_MAX_RESULTS most recent of ``matches``.

    Ranking reads every match: with a bound, a word found in most articles
    costs what a rare one does, however large the archive.
    """
    recent = matches.order_by("-published_at", "-pk").values("pk")[: settings.SEARCH_MAX_RESULTS]
    return queryset.filter(pk__in=recent)


def _search_fallback(queryset: QuerySet, query: str) -> QuerySet:
    """Every word in the title, excerpt or body; more words in the title ranks higher.

    Works on any database. No stemming, and on SQLite case is ignored for
    ASCII letters only.
    """
    terms = query_terms(query)
    matches = queryset
    for term in terms:
        matches = matches.filter(
            Q(title__icontains=term) | Q(excerpt__icontains=term) | Q(body__icontains=term)
        )
    queryset = _most_recent(queryset, matches)
    title_hits = sum(
        (Case(When(title__icontains=term, then=Value(1)), default=Value(0)) for term in terms),
        Value(0),
    )
    return queryset.annotate(title_match=title_hits).order_by("-title_match", "-published_at", "-pk")


def matching_ids(query: str) -> list[int]:
    """The ids of the published articles matching ``query``, best first (at most SEARCH_MAX_RESULTS)."""
    return list(search_articles(query).values_list("pk", flat=True))


def snippets(ids, query: str) -> dict[int, SafeString]:
    """An extract of each article of ``ids`` around the words of ``query``, with them in <mark>.

    One query, whatever the number of articles; drafts get none.
    """
    articles = Article.objects.published().filter(pk__in=ids).order_by()
    expression = search_query.parse(query)
    if connection.vendor == "postgresql":
        if not expression:
            return {}
        headlines = articles.annotate(headline=_headline(expression)).values_list("pk", "headline")
        return {pk: _marked_headline(headline) for pk, headline in headlines}
    if connection.vendor == "sqlite":
        return _lexeme_snippets(articles, expression)
    return _fallback_snippets(articles, query)


def _headline(expression: search_query.SearchExpression):
    """The words found in an article's excerpt and text (tags dropped), between MARK_START and MARK_STOP."""
    from django.contrib.postgres.search import SearchHeadline

    plain_text = Concat(
        "excerpt",
        Value(" "),
        Func(
            F("body"),
            Value(_TAG),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        ),
        output_field=TextField(),
    )
    return SearchHeadline(
        plain_text,
        search_query.search_query(expression, SEARCH_CONFIG),
        config=SEARCH_CONFIG,
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        min_words=15,
        max_words=SNIPPET_WORDS,
    )


def _lexeme_snippets(articles: QuerySet, expression: search_query.SearchExpression) -> dict[int, SafeString]:
    """Extracts that mark every word with a lexeme searched for: "stratégies" for "stratégie"."""
    wanted = expression.found_lexemes
    extracts = {}
    for pk, excerpt, body in articles.values_list("pk", "excerpt", "body"):
        text = unicodedata.normalize("NFC", f"{excerpt} {html_to_text(body)}")
        found = sorted({word for word in words(text) if lexeme(word) in wanted}, key=len, reverse=True)
        # Whole words only, longest first: "réseaux" is marked whole, never as "réseau" + "x".
        pattern = "|".join(re.escape(word) for word in found)
        extracts[pk] = _highlight(text, re.compile(rf"(?<![^\W_])(?:{pattern})(?![^\W_])") if found else None)
    return extracts


def _fallback_snippets(articles: QuerySet, query: str) -> dict[int, SafeString]:
    terms = query_terms(query)
    return {
        pk: highlight(f"{excerpt} {html_to_text(body)}", terms)
        for pk, excerpt, body in articles.values_list("pk", "excerpt", "body")
    }


def _marked_headline(headline: str) -> SafeString:
    text = escape(html.unescape(headline))
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


def highlight(text: str, terms: list[str]) -> SafeString:
    """About SNIPPET_WORDS words of ``text`` around the first term found, terms in <mark>."""
    if not terms:
        return _highlight(text, None)
    return _highlight(text, re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE))


def _highlight(text: str, pattern: re.Pattern | None) -> SafeString:
    """About SNIPPET_WORDS words of ``text`` around the first match of ``pattern``, matches in <mark>."""
    if pattern is None:
        return escape(Truncator(text).words(SNIPPET_WORDS))
    found = pattern.search(text)
    words_before = len(text[: found.start()].split()) if found else 0
    start_word = max(words_before - SNIPPET_WORDS // 3, 0)
    # The words up to the end of the extract; the rest of a long text, if any, stays in one piece.
    pieces = text.split(maxsplit=start_word + SNIPPET_WORDS)
    extract = " ".join(pieces[start_word : start_word + SNIPPET_WORDS])
    if start_word > 0:
        extract = "… " + extract
    if len(pieces) > start_word + SNIPPET_WORDS:
        extract += " …"
    parts, position = [], 0
    for match in pattern.finditer(extract):
        parts.append(escape(extract[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(extract[position:]))
    return mark_safe("".join(parts))
