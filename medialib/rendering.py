"""What a text becomes on the page: its media library images offered as renditions,
and (for articles) its section headings given anchors, its notes numbered and its
links to videos and posts made cards.

An article's version is computed when it is saved and kept in
``Article.body_html``, so showing it costs nothing; static pages, which have no
such field, go through the ``responsive_images`` filter, which calls the same
function.
"""

import re
from html import unescape
from urllib.parse import unquote

from django.apps import apps
from django.core.files.storage import storages
from django.utils.html import escape
from django.utils.text import slugify

from . import images
from .embeds import embed_cards
from .footnotes import footnotes
from .sanitize import html_to_text

IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
ATTRIBUTE = re.compile(r'\s([a-zA-Z-]+)="([^"]*)"')
# The text column is at most this wide (CSS pixels); narrower on phones.
COLUMN_WIDTH = 760


# Section headings (h2, h3) as the sanitiser writes them: double-quoted attributes.
HEADING = re.compile(r"<(h[23])((?:\s+[^\s=>]+(?:=\"[^\"]*\")?)*)\s*>(.*?)</\1>", re.I | re.S)
ID_ATTRIBUTE = re.compile(r'\sid="([^"]*)"')
# Ids the page around a text already uses (skip link, discussion, share and
# further-reading titles, comment anchors "c<pk>", the table of contents):
# a heading never takes one of them.
PAGE_IDS = {
    "content", "content-main", "comments", "comments-title", "comment-form", "comment-form-home",
    "share-title", "further-reading-title", "site-search-q", "not-found-q", "toc", "toc-title",
}  # fmt: skip
COMMENT_ANCHOR = re.compile(r"c\d+")


def heading_anchors(html: str) -> str:
    """``html`` with an ``id`` on each h2 and h3 that has none, made from its words
    ("Les réseaux sociaux" → ``les-reseaux-sociaux``), unique in the text and
    never one the page around it uses; so that a reader can link to a section
    and a table of contents can point at it. Ids the author gave are kept."""
    if not html or not HEADING.search(html):
        return html
    taken = set(PAGE_IDS) | set(ID_ATTRIBUTE.findall(html))

    def anchor(match):
        tag, attributes, inner = match.groups()
        if ID_ATTRIBUTE.search(attributes):
            return match.group(0)
        base = slugify(html_to_text(inner))[:60].strip("-") or "section"
        candidate, number = base, 2
        while candidate in taken or COMMENT_ANCHOR.fullmatch(candidate):
            candidate, number = f"{base}-{number}", number + 1
        taken.add(candidate)
        return f'<{tag}{attributes} id="{candidate}">{inner}</{tag}>'

    return HEADING.sub(anchor, html)


def headings(html: str) -> list[tuple[int, str, str]]:
    """The (level, id, text) of each h2 and h3 of ``html`` that has an id, in order."""
    found = []
    for match in HEADING.finditer(html or ""):
        tag, attributes, inner = match.groups()
        anchor = ID_ATTRIBUTE.search(attributes)
        text = html_to_text(inner)
        if anchor and text:
            found.append((int(tag[1]), unescape(anchor.group(1)), text))
    return found


def article_body(html: str, *, fetch_embeds: bool = True) -> str:
    """What readers get of an article's sanitised body: its ``((notes))`` numbered
    (``footnotes``), its lone links to videos and posts made cards (``embeds``),
    anchors on its headings, renditions for its library images.

    ``fetch_embeds`` false makes cards only from the embeds already stored: for
    bringing many bodies up to date without asking providers.
    """
    return responsive_body(heading_anchors(embed_cards(footnotes(html), fetch=fetch_embeds)))


def responsive_body(html: str, *, media_model=None) -> str:
    """``html`` with WebP and resized copies (``srcset``) offered for its library images.

    ``html`` must be trusted, sanitised HTML: everything around the images is
    returned as it is. A text without library images costs no query; one with
    some costs one, whatever their number. ``media_model`` is the model the
    images are looked up in: ``MediaImage`` unless a migration passes its
    historical one.
    """
    if not html:
        return html
    prefix = storages["default"].url(images.LIBRARY_FOLDER)
    if prefix not in html:
        return html
    found = []
    for match in IMG_TAG.finditer(html):
        attributes = dict(ATTRIBUTE.findall(match.group(0)))
        src = unescape(attributes.get("src", ""))
        if src.startswith(prefix) and "srcset" not in attributes:
            found.append((match, attributes, images.LIBRARY_FOLDER + unquote(src[len(prefix) :])))
    if not found:
        return html
    # By name: the models module imports this one.
    media_model = media_model or apps.get_model("medialib", "MediaImage")
    library = {
        image.file.name: image
        for image in media_model.objects.filter(file__in={name for _m, _a, name in found}).only(
            "file", "width", "height"
        )
    }
    parts, position = [], 0
    for match, attributes, name in found:
        image = library.get(name)
        picture = image and images.picture_for(image.file, image.width, image.height)
        if not picture or picture.pending:
            continue  # the stored image, as written, until its renditions exist
        shown_width = int(attributes["width"]) if attributes.get("width", "").isdigit() else COLUMN_WIDTH
        sizes = f"(max-width: 860px) 100vw, {min(shown_width, COLUMN_WIDTH)}px"
        tag = match.group(0)
        img = f'{tag[:-1].rstrip("/ ")} srcset="{escape(picture.fallback_srcset)}" sizes="{sizes}">'
        parts += [
            html[position : match.start()],
            f'<picture><source type="image/webp" srcset="{escape(picture.webp_srcset)}" sizes="{sizes}">',
            img,
            "</picture>",
        ]
        position = match.end()
    parts.append(html[position:])
    return "".join(parts)
