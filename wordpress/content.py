"""Turning WordPress text into the blog's: titles, post bodies, excerpts, comments.

WordPress stores post bodies in a shorthand that it expands when showing them:
blank lines become paragraphs (``wpautop``) and shortcodes such as
``[caption]`` become HTML. These functions do the same expansion once, at
import, and then apply the editor's sanitisation. Entities are decoded exactly
once: by the XML parser for the file's own escaping, then by ``html.unescape``
(plain-text fields) or the HTML sanitiser (bodies) for WordPress' escaping.
"""

import html
import re
from collections import Counter

from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medialib.sanitize import html_to_text, sanitize_html

from .embeds import canonical_url, link_paragraph, provider_url, replace_players, url_scheme

BLOCK_TAGS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
    "blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|"
    "footer|nav|figure|figcaption|details|menu|summary"
)
_OPEN_BLOCK = re.compile(rf"(<(?:{BLOCK_TAGS})[\s/>])", re.IGNORECASE)
_CLOSE_BLOCK = re.compile(rf"(</(?:{BLOCK_TAGS})>)", re.IGNORECASE)
_ANY_BLOCK = rf"</?(?:{BLOCK_TAGS})[^>]*>"
_PRE = re.compile(r"<pre[\s>].*?</pre>", re.IGNORECASE | re.DOTALL)
# Gutenberg content carries its own markup; WordPress does not run wpautop on it.
_BLOCK_EDITOR_MARK = "<!-- wp:"


def plain_text(value: str) -> str:
    """A WordPress text field (title, name, excerpt, comment) as plain text."""
    return html.unescape(strip_tags(value or "")).strip()


class BodyNotes:
    """What converting texts changed or could not keep, for the import's summary.

    ``converted`` counts each kind of conversion, ``shortcodes`` the shortcodes
    left as text (by name), ``warnings`` what an editor should look at in one
    body (a gallery with no image, an empty body).
    """

    def __init__(self):
        self.converted = Counter()
        self.shortcodes = Counter()
        self.warnings = []

    def convert(self, label: str, count: int = 1):
        if count:
            self.converted[label] += count

    def warn(self, text: str):
        self.warnings.append(text)


_COMMENT_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def _same_address(text: str, url: str) -> bool:
    """Whether a link's text is its address (perhaps without the scheme, or shortened with "…")."""

    def bare(value):
        return re.sub(r"^https?://(www\.)?", "", value.strip()).rstrip("/")

    text, url = bare(text), bare(url)
    if text == url:
        return True
    for ellipsis in ("…", "..."):
        if (
            text.endswith(ellipsis)
            and len(text) > len(ellipsis) + 3
            and url.startswith(text[: -len(ellipsis)])
        ):
            return True
    return False


def comment_text(value: str, *, notes: BodyNotes | None = None) -> str:
    """A comment's HTML as plain text, its links kept as "text (address)" or the address alone.

    Line breaks and paragraphs stay as newlines.
    """
    notes = notes or BodyNotes()

    def link(match):
        href = _HREF.search(match.group(1))
        label = plain_text(match.group(2))
        url = html.unescape(next((g for g in href.groups() if g is not None), "")).strip() if href else ""
        if url_scheme(url) not in ("http", "https", "mailto"):
            return match.group(2)
        notes.convert(_("links in comments kept as text"))
        if not label or _same_address(label, url):
            return url
        return f"{match.group(2)} ({url})"

    text = _COMMENT_LINK.sub(link, value or "")
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"</?p\b[^>]*>", "\n\n", text, flags=re.IGNORECASE)
    text = plain_text(text)
    text = re.sub(r"[ \t]+\n", "\n", re.sub(r"[ \t]{2,}", " ", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


class _Kept:
    """Blocks set aside while paragraphs are made, then put back unchanged."""

    def __init__(self):
        self.blocks = []

    def __call__(self, block: str) -> str:
        self.blocks.append(block)
        return f"\n\n<x-kept-{len(self.blocks) - 1}></x-kept>\n\n"

    def restore(self, text: str) -> str:
        for index, block in enumerate(self.blocks):
            text = text.replace(f"<x-kept-{index}></x-kept>", block)
        return text


_KEPT = r"<x-kept-\d+></x-kept>"


def wpautop(text: str, *, kept: _Kept | None = None) -> str:
    """Turn WordPress' blank-line paragraphs into ``<p>`` and single newlines into ``<br>``.

    Follows WordPress' own rules closely enough for real content: block-level
    elements are left alone, ``<pre>`` keeps its newlines, blocks set aside in
    ``kept`` (expanded shortcodes) are put back as they are.
    """
    kept = kept or _Kept()
    if not text.strip():
        return kept.restore(text).strip()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _PRE.sub(lambda match: kept(match.group(0)), text) + "\n"
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.IGNORECASE)
    text = _OPEN_BLOCK.sub(r"\n\n\1", text)
    text = _CLOSE_BLOCK.sub(r"\1\n\n", text)
    text = re.sub(r"\n\n+", "\n\n", text)
    chunks = [chunk.strip("\n") for chunk in re.split(r"\n\s*\n", text)]
    text = "".join(f"<p>{chunk}</p>\n" for chunk in chunks if chunk.strip())
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(rf"<p>\s*({_ANY_BLOCK}|{_KEPT})\s*</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*({_ANY_BLOCK})", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"({_ANY_BLOCK})\s*</p>", r"\1", text, flags=re.IGNORECASE)
    # Remaining single newlines inside paragraphs are line breaks.
    text = re.sub(r"(?<!<br />)\s*\n(?!$)", "<br />\n", text)
    text = re.sub(rf"({_ANY_BLOCK}|{_KEPT})\s*<br />", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"<br />(\s*(?:</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>|{_KEPT}))", r"\1", text)
    return kept.restore(text).strip()


_SHORTCODE_ATTRIBUTES = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"\]]+)|"([^"]*)"|(\S+)"""
)


def shortcode_attributes(text: str) -> dict:
    """``id="a" align='b' width=300 bare`` → {"id": "a", "align": "b", "width": "300", 0: "bare"}."""
    attributes, position = {}, 0
    for match in _SHORTCODE_ATTRIBUTES.finditer(text):
        if match.group(1):
            attributes[match.group(1).lower()] = match.group(2)
        elif match.group(3):
            attributes[match.group(3).lower()] = match.group(4)
        elif match.group(5):
            attributes[match.group(5).lower()] = match.group(6)
        else:
            attributes[position] = match.group(7) if match.group(7) is not None else match.group(8)
            position += 1
    return attributes


def _is_web_url(url: str) -> bool:
    return url_scheme(url) in ("http", "https")


def _link(url: str) -> str:
    url = html.unescape(url.strip())
    if not _is_web_url(url):
        return escape(url)
    return f'<a href="{escape(url)}">{escape(url)}</a>'


_CAPTION = re.compile(r"\[(caption|wp_caption)([^\]]*)\](.*?)\[/\1\]", re.IGNORECASE | re.DOTALL)
_CAPTION_IMAGE = re.compile(
    r"^\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)$", re.IGNORECASE | re.DOTALL
)
_EMBED = re.compile(r"(?<!\[)\[embed[^\]]*\](.*?)\[/embed\]", re.IGNORECASE | re.DOTALL)
_MEDIA = re.compile(r"(?<!\[)\[(video|audio)(\s[^\]]*|)\](?:([^\[]*)\[/\1\])?", re.IGNORECASE)
_GALLERY = re.compile(r"(?<!\[)\[gallery([^\]]*)\]", re.IGNORECASE)
# [youtube ID], [youtube URL], [youtube=URL] (Jetpack), [vimeo id=ID], [dailymotion]ID[/dailymotion]…
_PROVIDER = re.compile(
    r"(?<!\[)\[(youtube|dailymotion|vimeo)(=[^\]]*|\s[^\]]*|)\](?:([^\[]*)\[/\1\])?", re.IGNORECASE
)
# What is left of shortcodes once the known ones are converted; ``[[x]]`` is WordPress' escape.
_ESCAPED_SHORTCODE = re.compile(r"\[(\[[a-zA-Z][\w-]*[^\[\]]*\])\]")
_ANY_SHORTCODE = re.compile(r"(?<!\[)\[([a-zA-Z][\w-]*)(?=[\s\]=/])[^\[\]]*\](?!\])")
_BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.MULTILINE)
ALIGNMENTS = {"alignnone", "alignleft", "alignright", "aligncenter"}


def _caption(match):
    attributes = shortcode_attributes(match.group(2))
    image_match = _CAPTION_IMAGE.match(match.group(3))
    if image_match is None:
        return match.group(3)
    image, caption = image_match.group(1), image_match.group(2).strip()
    caption = attributes.get("caption", "") or caption
    align = attributes.get("align", "")
    classes = "wp-caption" + (f" {align}" if align in ALIGNMENTS else "")
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="{classes}">{image}{figcaption}</figure>'


def _keep_figure(html, kept):
    return kept(html) if html.startswith("<figure") else html


def _media(match, notes):
    name = match.group(1).lower()
    attributes = shortcode_attributes(match.group(2))
    candidates = [attributes.get(key, "") for key in (
        "src", "url", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "ogg", "m4a", "wav", 0,
    )] + [match.group(3) or ""]  # fmt: skip
    for url in candidates:
        if _is_web_url(html.unescape(url)):
            provider, link = canonical_url(url)
            notes.convert(_("[%s] shortcodes → links") % name)
            return link_paragraph(link)
    return match.group(0)


def _provider(match, notes):
    name, value = match.group(1).lower(), match.group(2).strip()
    if value.startswith("="):
        value = value[1:]
    else:
        attributes = shortcode_attributes(value)
        value = next((attributes[key] for key in (0, "id", "url", "src", "video") if attributes.get(key)), "")
    url = provider_url(name, value or match.group(3) or "")
    if not url:
        return match.group(0)
    notes.convert(_("[%s] shortcodes → links") % name)
    return link_paragraph(url)


def _embed(match, notes):
    notes.convert(_("[embed] shortcodes → links"))
    url = html.unescape(match.group(1)).strip()
    return f"<p>{_link(canonical_url(url)[1] if _is_web_url(url) else url)}</p>"


def expand_shortcodes(
    text: str, *, attachments=None, post_id: str = "", kept=None, notes: BodyNotes | None = None
) -> str:
    """Replace the common shortcodes by HTML the sanitiser keeps.

    ``[caption]`` becomes a ``<figure>``; ``[embed]``, ``[video]``, ``[audio]``,
    ``[youtube]``, ``[dailymotion]``, ``[vimeo]`` and bare URLs on their own
    line (WordPress' auto-embeds) become links (embedded players are not
    allowed); ``[gallery]`` becomes a list of figures built from
    ``attachments`` (``{wp_id: Attachment}``), with links or a visible note for
    what the export lacks. Other shortcodes stay as text and are counted in
    ``notes``. With ``kept``, the HTML blocks made are set aside so that
    ``wpautop`` leaves them alone.
    """
    kept = kept or (lambda block: block)
    notes = notes if notes is not None else BodyNotes()
    text = _CAPTION.sub(lambda match: _keep_figure(_caption(match), kept), text)
    text = _EMBED.sub(lambda match: kept(_embed(match, notes)), text)
    text = _MEDIA.sub(lambda match: kept(_media(match, notes)), text)
    text = _PROVIDER.sub(lambda match: kept(_provider(match, notes)), text)
    text = _GALLERY.sub(lambda match: kept(_gallery(match, attachments or {}, post_id, notes)), text)
    for match in _ANY_SHORTCODE.finditer(text):
        if not match.group(0).startswith("[x-kept"):
            notes.shortcodes[match.group(1).lower()] += 1
    # [[gallery]] is how WordPress writes a shortcode's name as text.
    text = _ESCAPED_SHORTCODE.sub(r"\1", text)
    return _BARE_URL_LINE.sub(lambda match: _link(match.group(1)), text)


def _note(text: str) -> str:
    """A note an editor (and readers) can see, where the import could not keep something."""
    return f'<p class="wordpress-note">[{escape(text)}]</p>'


def _gallery(match, attachments, post_id, notes):
    attributes = shortcode_attributes(match.group(1))
    wanted = [part.strip() for part in (attributes.get("ids") or attributes.get("include") or "").split(",")]
    wanted = [wp_id for wp_id in wanted if wp_id]
    if wanted:
        found = [attachments[wp_id] for wp_id in wanted if wp_id in attachments]
        missing = [wp_id for wp_id in wanted if wp_id not in attachments]
    else:
        found = sorted(
            (a for a in attachments.values() if post_id and a.parent == post_id),
            key=lambda a: (a.menu_order, int(a.wp_id) if a.wp_id.isdigit() else 0),
        )
        missing = []
    images = [image for image in found if image.is_image]
    files = [attachment for attachment in found if not attachment.is_image and attachment.url]
    figures = []
    for image in images:
        caption = f"<figcaption>{escape(image.caption)}</figcaption>" if image.caption else ""
        figures.append(
            f'<figure class="gallery-item"><a href="{escape(image.url)}">'
            f'<img src="{escape(image.url)}" alt="{escape(image.alt)}"></a>{caption}</figure>'
        )
    parts = [f'<div class="gallery">{"".join(figures)}</div>'] if figures else []
    if files:
        links = "".join(f'<li><a href="{escape(a.url)}">{escape(a.title or a.url)}</a></li>' for a in files)
        parts.append(f'<ul class="gallery-files">{links}</ul>')
        notes.convert(_("gallery items that are not images → links"), len(files))
    if images:
        notes.convert(_("[gallery] shortcodes → images"))
    if missing:
        notes.convert(_("gallery images missing from the export → visible note"), len(missing))
        note = ngettext(
            "Gallery: %(count)d image was not in the WordPress export (id %(ids)s)",
            "Gallery: %(count)d images were not in the WordPress export (ids %(ids)s)",
            len(missing),
        ) % {"count": len(missing), "ids": ", ".join(missing)}
        parts.append(_note(note))
        notes.warn(note)
    elif not parts:
        notes.convert(_("galleries with no image in the export → visible note"))
        note = _("Gallery: none of its images is in the WordPress export")
        parts.append(_note(note))
        notes.warn(note)
    return "".join(parts)


_UPLOAD_URL = re.compile(
    r"""(?:https?:)?(?://[^/"'\s<>]+)?/wp-content/uploads/([^"'\s<>?#]+)""", re.IGNORECASE
)
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(\.\w+)$")


def upload_path(url: str) -> str:
    """``http://x/wp-content/uploads/2012/05/a-300x200.jpg`` → ``2012/05/a.jpg`` ("" if not an upload)."""
    match = _UPLOAD_URL.search(url or "")
    if match is None:
        return ""
    return _SIZE_SUFFIX.sub(r"\1", match.group(1))


def rewrite_upload_urls(text: str, new_urls: dict) -> str:
    """Point links to WordPress uploads (and their resized copies) at the imported files."""
    if not new_urls:
        return text

    def replace(match):
        new_url = new_urls.get(_SIZE_SUFFIX.sub(r"\1", match.group(1)))
        return new_url if new_url else match.group(0)

    return _UPLOAD_URL.sub(replace, text)


_MORE = re.compile(r"<!--\s*more\b.*?-->", re.IGNORECASE | re.DOTALL)
_NO_TEASER = re.compile(r"<!--\s*noteaser\s*-->", re.IGNORECASE)
_NEXTPAGE = re.compile(r"<!--\s*nextpage\s*-->", re.IGNORECASE)
_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)
# Blocks that WordPress fills in each time the page is shown (latest posts, archives,
# reusable blocks…): the export holds only their settings, in a comment.
_SELF_CLOSING_BLOCK = re.compile(r"<!--\s*wp:([a-z][\w/-]*)(?:\s+\{.*?\})?\s*/-->", re.DOTALL)
_QUERY_BLOCK = re.compile(r"<!--\s*wp:query\b.*?<!--\s*/wp:query\s*-->", re.DOTALL)
_EMPTY_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(?:\s|&nbsp;|&#160;|\xa0|<br\s*/?>)*</p>", re.IGNORECASE)


def split_teaser(text: str) -> tuple[str, str]:
    """(the text before ``<!--more-->``, or "" if there is none; the text without the marker)."""
    text = _NO_TEASER.sub("", text or "")
    match = _MORE.search(text)
    if match is None:
        return "", text
    return text[: match.start()], _MORE.sub("", text)


def remove_empty_paragraphs(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _EMPTY_PARAGRAPH.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", text)


def _dynamic_blocks(text: str, notes: BodyNotes) -> str:
    def skip(match, name=None):
        name = name or match.group(1)
        name = name.removeprefix("core/")
        notes.convert(_("block editor blocks filled in by WordPress when shown (%s): skipped") % name)
        return ""

    text = _QUERY_BLOCK.sub(lambda match: skip(match, "query"), text)
    return _SELF_CLOSING_BLOCK.sub(skip, text)


def convert_body(
    text: str, *, attachments=None, new_urls=None, post_id: str = "", notes: BodyNotes | None = None
) -> str:
    """A WordPress post body as the blog's sanitised HTML.

    What the sanitiser would remove with its content is converted first and
    counted in ``notes``: embedded players become links, ``<h1>`` becomes
    ``<h2>`` (the page's title is its only ``<h1>``), the pages of a post split
    by ``<!--nextpage-->`` are separated by a rule. The ``<!--more-->`` marker is
    removed (see ``split_teaser``); no empty paragraph is left.
    """
    notes = notes if notes is not None else BodyNotes()
    text = _MORE.sub("", _NO_TEASER.sub("", text or ""))
    text, pages = _NEXTPAGE.subn("\n\n<hr />\n\n", text)
    notes.convert(_("<!--nextpage--> page breaks → horizontal rules"), pages)
    notes.convert(_("<h1> headings → <h2>"), len(re.findall(r"<h1\b", text, re.IGNORECASE)))
    text = _H1.sub(r"<\1h2", text)
    if _BLOCK_EDITOR_MARK in text:
        text = _dynamic_blocks(text, notes)
        text = replace_players(text, notes=notes)
        text = expand_shortcodes(text, attachments=attachments, post_id=post_id, notes=notes)
    else:
        kept = _Kept()
        text = replace_players(text, notes=notes, kept=kept)
        text = expand_shortcodes(text, attachments=attachments, post_id=post_id, kept=kept, notes=notes)
        text = wpautop(text, kept=kept)
    text = rewrite_upload_urls(text, new_urls or {})
    return remove_empty_paragraphs(sanitize_html(text)).strip()


def is_empty_body(body: str) -> bool:
    """Whether a converted body shows nothing: no words, no image, no rule."""
    return not html_to_text(body) and not re.search(r"<(img|hr)\b", body)


def teaser_excerpt(teaser: str) -> str:
    """The text before ``<!--more-->`` as a plain-text excerpt."""
    body = convert_body(teaser, notes=BodyNotes())
    return html_to_text(re.sub(r'<p class="wordpress-note">.*?</p>', "", body))
