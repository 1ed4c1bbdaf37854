"""Words as search compares them, the same way in the index and in a query.

A word is a run of letters and digits. Its *lexeme* is what PostgreSQL's
``blog_french`` configuration makes of it: lower case, accents dropped
(``unaccent``), then the French Snowball stem, or nothing for a stop word
("le", "et", "des"…). SQLite cannot run a Python tokenizer, so the SQLite index
stores lexemes ready-made and queries are turned into lexemes the same way:
"Stratégies", "strategie" and "stratégie" all become ``strateg`` on both databases.
"""

import functools
import re
import threading
import unicodedata

import snowballstemmer

# Letters and digits; the underscore is no part of a word.
WORD = re.compile(r"[^\W_]+")
# Stands for a stop word in the SQLite index, so that phrases keep their
# positions as they do on PostgreSQL ("instagram et tiktok": one word between).
# A private-use character: a letter for SQLite's tokenizer, never a word in a query.
STOP_MARK = "\ue002"

# PostgreSQL's french.stop (the Snowball list). PostgreSQL drops accents before
# it looks a word up, so the list's accented entries ("à", "été"…) never match
# there: they are left out here too.
_STOP_LIST = """
    au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me mes moi mon ne nos
    notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre
    vous c d j l m n s t y suis es est sommes sont serai seras sera serons serez seront serais serait
    serions seriez seraient fus fut furent sois soit soyons soyez soient fusse fusses fussions fussiez
    fussent ayant ayante ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons
    aurez auront aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eurent aie
    aies ait ayons ayez aient eusse eusses eussions eussiez eussent
"""
STOP_WORDS = frozenset(_STOP_LIST.split())
# What unaccent does that Unicode decomposition does not.
_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})

# Snowball stemmers keep state while they work: one per thread.
_local = threading.local()


def words(text: str) -> list[str]:
    """The words of ``text``, in order."""
    return WORD.findall(unicodedata.normalize("NFC", text or ""))


def fold(word: str) -> str:
    """``word`` in lower case, without accents."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).translate(_LETTERS)


@functools.lru_cache(maxsize=65536)
def lexeme(word: str) -> str:
    """What search keeps of ``word``: its folded French stem, "" for a stop word."""
    folded = fold(word)
    if folded in STOP_WORDS:
        return ""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return stemmer.stemWord(folded)


def lexemes(text: str) -> list[str]:
    """The lexemes of ``text``'s words, in order, with STOP_MARK for each stop word."""
    return [lexeme(word) or STOP_MARK for word in words(text)]


def indexed_text(text: str) -> str:
    """``text`` as the SQLite index stores it: its lexemes, separated by spaces."""
    return " ".join(lexemes(text))
