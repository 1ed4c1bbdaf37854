"""The one place where HTML written by editors (or imported) is made safe to show."""

import re
from html import unescape
from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "picture", "pre", "q", "s", "small", "source", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "lang", "title"},
    "a": {"href", "hreflang"},
    # "loading" and "decoding" are not taken from the input: see IMG_EXTRA_ATTRIBUTES.
    "img": {"src", "alt", "width", "height", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type", "media"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Images inside a text are rarely above the fold: the browser fetches them when
# the reader scrolls near them, and their decoding does not hold up the page.
# Added after cleaning, always in this order: nh3's own way of setting attributes
# orders them differently from one process to the next, and the same text must
# always give the same bytes (versions, imports and caches compare them).
IMG_EXTRA_ATTRIBUTES = ' loading="lazy" decoding="async"'
# An <img> tag as nh3 writes it: double-quoted values, in which ">" may appear.
CLEAN_IMG_TAG = re.compile(r'<img((?:\s+[^\s="/>]+(?:="[^"]*")?)*)\s*/?>')


def _safe_srcset(value: str) -> bool:
    """nh3 checks ``src`` and ``href`` but not the URLs listed in ``srcset``."""
    for candidate in value.split(","):
        url = candidate.strip().split(" ")[0]
        scheme = urlsplit(url).scheme.lower() if ":" in url else ""
        if scheme and scheme not in {"http", "https"}:
            return False
    return True


URL_ATTRIBUTES = {"href", "src", "srcset", "cite"}
# Even inside a relative URL ("`javascript:…`"), such a scheme is never legitimate.
# Only where a scheme could start: "metadata:" or "big-data:" in a path stay.
SCRIPT_SCHEME = re.compile(r"(?<![\w.+-])(?:javascript|vbscript|data):", re.I)
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES and SCRIPT_SCHEME.search(INVISIBLE.sub("", value)):
        return None
    if attribute == "srcset" and not _safe_srcset(value):
        return None
    return value


_TAG = re.compile(r"<[^>]*>")


def sanitize_html(html: str) -> str:
    """Keep an allow-list of tags and attributes; scripts, event handlers and
    ``javascript:`` URLs never survive, whoever wrote the HTML."""
    clean = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_filter_attribute,
        strip_comments=True,
    )
    return CLEAN_IMG_TAG.sub(lambda match: f"<img{match.group(1)}{IMG_EXTRA_ATTRIBUTES}>", clean)


def html_to_text(html: str) -> str:
    """The words of sanitized HTML as plain text: tags become spaces (so that paragraphs do
    not run into each other), entities are decoded, whitespace is collapsed."""
    return " ".join(unescape(_TAG.sub(" ", html or "")).split())
