"""What a reader types, understood once, then written for each database.

The syntax is that of PostgreSQL's ``websearch_to_tsquery``, which readers of
the site had until now: every word must be found; "quoted words" must be
found together, in that order; a word or phrase after ``-`` must not be
found; ``or`` between words accepts either side. Nothing else is syntax:
FTS5's operators (NEAR, AND, ``*``, ``^``, ``column:``) and tsquery's (``&``,
``|``, ``!``, ``<->``) are punctuation like any other, and so is an unbalanced
quote (the phrase runs to the end). Whatever is typed, the result is a valid
query or none at all: each word reaches the database quoted (FTS5) or as a
bound parameter (PostgreSQL).
"""

import re
from dataclasses import dataclass

from .text import STOP_MARK, lexeme, words

# At most this many words or phrases, and words in a phrase: the SQL stays bounded whatever is typed.
MAX_TERMS = 8

# A quoted phrase (its closing quote optional), or a run of anything but spaces and quotes.
_CHUNK = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass(frozen=True)
class Clause:
    """Words that must (or, ``negated``, must not) be found; together and in order if ``phrase``."""

    words: tuple[str, ...]
    phrase: bool = False
    negated: bool = False

    @property
    def lexemes(self) -> list[str]:
        """The clause's lexemes, stop words as STOP_MARK, none at either end (as PostgreSQL drops them)."""
        found = [lexeme(word) or STOP_MARK for word in self.words]
        while found and found[0] == STOP_MARK:
            found.pop(0)
        while found and found[-1] == STOP_MARK:
            found.pop()
        return found


@dataclass(frozen=True)
class SearchExpression:
    """Alternatives (``or``), each a list of clauses that must all hold."""

    alternatives: tuple[tuple[Clause, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.alternatives)

    @property
    def found_lexemes(self) -> set[str]:
        """The lexemes whose words an extract marks: those that are searched for, not excluded."""
        return {
            found
            for clauses in self.alternatives
            for clause in clauses
            if not clause.negated
            for found in clause.lexemes
            if found != STOP_MARK
        }


def parse(query: str) -> SearchExpression:
    """``query`` understood. An alternative needs a word to find: one that only excludes is dropped,
    as are stop words alone ("le", "des"), which PostgreSQL ignores."""
    alternatives, clauses, count = [], [], 0
    for match in _CHUNK.finditer(query or ""):
        quoted = match.group(2) is not None
        negated = (match.group(1) if quoted else match.group(3)) == "-"
        text = match.group(2) if quoted else match.group(4)
        if not quoted and not negated and text.casefold() == "or":
            alternatives.append(clauses)
            clauses = []
            continue
        found = tuple(words(text))[:MAX_TERMS]
        clause = Clause(found, phrase=quoted or len(found) > 1, negated=negated)
        if not clause.lexemes or count >= MAX_TERMS:
            continue
        clauses.append(clause)
        count += 1
    alternatives.append(clauses)
    return SearchExpression(
        tuple(tuple(clauses) for clauses in alternatives if any(not clause.negated for clause in clauses))
    )


# SQLite FTS5
# ------------------------------------------------------------------------------


def _fts_string(clause: Clause) -> str:
    # An FTS5 string: only a double quote is special in it, doubled.
    return '"' + " ".join(clause.lexemes).replace('"', '""') + '"'


def fts5_match(expression: SearchExpression, column: str | None = None) -> str:
    """The FTS5 MATCH expression for ``expression``, over every column or only ``column``."""
    alternatives = []
    for clauses in expression.alternatives:
        wanted = " AND ".join(_fts_string(clause) for clause in clauses if not clause.negated)
        unwanted = " OR ".join(_fts_string(clause) for clause in clauses if clause.negated)
        alternatives.append(f"({wanted}) NOT ({unwanted})" if unwanted else f"({wanted})")
    match = " OR ".join(f"({alternative})" for alternative in alternatives)
    return f"{column} : ({match})" if column else match


# PostgreSQL
# ------------------------------------------------------------------------------


def search_query(expression: SearchExpression, config: str):
    """The same query as a combination of Django's ``SearchQuery``: PostgreSQL stems and unaccents."""
    from django.contrib.postgres.search import SearchQuery

    combined = None
    for clauses in expression.alternatives:
        alternative = None
        for clause in clauses:
            part = SearchQuery(
                " ".join(clause.words),
                search_type="phrase" if clause.phrase else "plain",
                config=config,
                invert=clause.negated,
            )
            alternative = part if alternative is None else alternative & part
        combined = alternative if combined is None else combined | alternative
    return combined
