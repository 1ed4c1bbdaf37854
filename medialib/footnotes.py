"""Notes in a text: written inline between double parentheses, shown numbered at the end.

An editor types the note where it belongs, ``…as he said((Interview of 3 May.)).``,
in any paragraph, list item or quotation; the text may hold links and emphasis.
The shown body gets a superscript number linking to a "Notes" section at its
end, whose notes link back to where each was called. Nothing to number or keep
in step by hand: moving a sentence moves its note.

Left as typed: double parentheses in code, preformatted text, headings and link
texts, an empty note, one not closed, and one whose text would not stand on its
own (it crosses the end of a paragraph or of a formatting tag).
"""

import re

from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .sanitize import html_to_text

OPEN, CLOSE = "((", "))"
# Tags as the sanitiser writes them (double-quoted values, in which ">" may appear).
TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)\b(?:[^>"]|"[^"]*")*>')
# Inside these, double parentheses are the author's text, not a note.
VERBATIM = {"pre", "code", "kbd", "samp", "h1", "h2", "h3", "h4", "h5", "h6", "a", "figcaption"}
# What a note's text may hold.
INLINE = {
    "a", "abbr", "b", "br", "cite", "code", "del", "em", "i", "img", "ins", "kbd", "mark", "q", "s", "small",
    "span", "strong", "sub", "sup", "u",
}  # fmt: skip
VOID = {"br", "img", "hr", "source"}
NOTES_TITLE_ID = "notes-title"
TRAILING_SPACE = re.compile(r"(?:\s|&nbsp;)+$")


def _pieces(html: str) -> list[tuple[str, str, bool]]:
    """``html`` as (text, tag name or "" for text, closing tag) pieces, in order."""
    pieces, position = [], 0
    for match in TAG.finditer(html):
        if match.start() > position:
            pieces.append((html[position : match.start()], "", False))
        pieces.append((match.group(0), match.group(2).lower(), bool(match.group(1))))
        position = match.end()
    if position < len(html):
        pieces.append((html[position:], "", False))
    return pieces


def _closing(text: str, depth: int) -> tuple[int | None, int]:
    """Where ``text`` closes a note at parenthesis ``depth`` (None: not here), and the
    depth after it; -1 for a lone ")" that would close more than the note opened."""
    for position, character in enumerate(text):
        if character == "(":
            depth += 1
        elif character == ")":
            if depth:
                depth -= 1
            elif text.startswith(CLOSE, position):
                return position, depth
            else:
                return -1, depth
    return None, depth


def _note_end(pieces, index: int, start: int):
    """Where the note opened at ``start`` in text piece ``index`` closes: (its HTML,
    the piece holding the closing parentheses, the offset just after them), or None.

    Parentheses inside the note must pair up (``((see (1)))``); the note may hold
    inline tags, each closed within it."""
    content, open_tags, depth = [], [], 0
    offset, text = start, pieces[index][0][start:]
    while True:
        end, depth = _closing(text, depth)
        if end == -1:
            return None
        if end is not None:
            if open_tags:
                return None
            content.append(text[:end])
            return "".join(content), index, offset + end + len(CLOSE)
        content.append(text)
        index += 1
        if index >= len(pieces):
            return None
        piece, name, closing = pieces[index]
        offset = 0
        if not name:
            text = piece
            continue
        if name not in INLINE:
            return None
        if name not in VOID:
            if closing:
                if not open_tags or open_tags.pop() != name:
                    return None
            else:
                open_tags.append(name)
        content.append(piece)
        text = ""


def footnotes(html: str) -> str:
    """``html`` (sanitised) with its ``((notes))`` numbered and gathered at the end."""
    if not html or OPEN not in html:
        return html
    pieces = _pieces(html)
    out, notes, verbatim = [], [], 0
    index, start = 0, 0
    while index < len(pieces):
        piece, name, closing = pieces[index]
        if name:
            if name in VERBATIM:
                verbatim = max(verbatim + (-1 if closing else 1), 0)
            out.append(piece)
            index, start = index + 1, 0
            continue
        found = piece.find(OPEN, start) if not verbatim else -1
        end = _note_end(pieces, index, found + len(OPEN)) if found != -1 else None
        if end is not None and html_to_text(end[0]):
            content, end_index, after = end
            notes.append(content.strip())
            # The call follows its word: "word ((note))" shows "word¹".
            out.append(TRAILING_SPACE.sub("", piece[start:found]) + _reference(len(notes)))
            index, start = end_index, after
            continue
        if found != -1:
            # Not a note: keep the parentheses and look further on.
            out.append(piece[start : found + len(OPEN)])
            start = found + len(OPEN)
            continue
        out.append(piece[start:])
        index, start = index + 1, 0
    if not notes:
        return html
    return "".join(out) + _notes_section(notes)


def _reference(number: int) -> str:
    return format_html(
        '<sup class="note-ref"><a id="note-ref-{0}" href="#note-{0}" role="doc-noteref" '
        'aria-describedby="{1}">{0}</a></sup>',
        number,
        NOTES_TITLE_ID,
    )


def _notes_section(notes: list[str]) -> str:
    # Stored once for every reader, in the site's language whoever saves it.
    with translation.override(settings.LANGUAGE_CODE):
        items = "".join(
            format_html(
                '<li id="note-{0}">{1} <a class="notes__back" href="#note-ref-{0}" role="doc-backlink" '
                'aria-label="{2}">\u21a9\ufe0e</a></li>',
                number,
                mark_safe(note),  # sanitised HTML, from the body
                _("Back to the text (note %(number)s)") % {"number": number},
            )
            for number, note in enumerate(notes, start=1)
        )
        return format_html(
            '<section class="notes" role="doc-endnotes" aria-labelledby="{0}"><h2 id="{0}">{1}</h2>'
            '<ol class="notes__list">{2}</ol></section>',
            NOTES_TITLE_ID,
            _("Notes"),
            mark_safe(items),
        )
