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
from urllib.parse import urlsplit

from django.utils.html import escape, strip_tags

from medialib.sanitize import sanitize_html

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
    return urlsplit(url.strip()).scheme in ("http", "https")


def _link(url: str) -> str:
    url = html.unescape(url.strip())
    if not _is_web_url(url):
        return escape(url)
    return f'<a href="{escape(url)}">{escape(url)}</a>'


_CAPTION = re.compile(r"\[(caption|wp_caption)([^\]]*)\](.*?)\[/\1\]", re.IGNORECASE | re.DOTALL)
_CAPTION_IMAGE = re.compile(
    r"^\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)$", re.IGNORECASE | re.DOTALL
)
_EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.IGNORECASE | re.DOTALL)
_MEDIA = re.compile(r"\[(video|audio)([^\]]*)\](?:\s*\[/\1\])?", re.IGNORECASE)
_GALLERY = re.compile(r"\[gallery([^\]]*)\]", re.IGNORECASE)
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


def _media(match):
    attributes = shortcode_attributes(match.group(2))
    for key in ("src", "mp4", "webm", "ogv", "mp3", "ogg", "m4a", "wav"):
        if _is_web_url(attributes.get(key, "")):
            return f"<p>{_link(attributes[key])}</p>"
    return match.group(0)


def expand_shortcodes(text: str, *, attachments=None, post_id: str = "", kept=None) -> str:
    """Replace the common shortcodes by HTML the sanitiser keeps.

    ``[caption]`` becomes a ``<figure>``, ``[embed]``, ``[video]``, ``[audio]``
    and bare URLs on their own line (WordPress' auto-embeds) become links
    (embedded players are not allowed), ``[gallery]`` becomes a list of
    figures built from ``attachments`` (``{wp_id: Attachment}``), or nothing if
    none is known. Other shortcodes stay as text. With ``kept``, the HTML
    blocks made are set aside so that ``wpautop`` leaves them alone.
    """
    kept = kept or (lambda block: block)
    text = _CAPTION.sub(lambda match: _keep_figure(_caption(match), kept), text)
    text = _EMBED.sub(lambda match: kept(f"<p>{_link(match.group(1))}</p>"), text)
    text = _MEDIA.sub(lambda match: kept(_media(match)), text)
    text = _GALLERY.sub(lambda match: kept(_gallery(match, attachments or {}, post_id)), text)
    return _BARE_URL_LINE.sub(lambda match: _link(match.group(1)), text)


def _gallery(match, attachments, post_id):
    attributes = shortcode_attributes(match.group(1))
    if attributes.get("ids"):
        wanted = [part.strip() for part in attributes["ids"].split(",")]
        images = [attachments[wp_id] for wp_id in wanted if wp_id in attachments]
    else:
        images = sorted(
            (a for a in attachments.values() if post_id and a.parent == post_id),
            key=lambda a: (a.menu_order, int(a.wp_id) if a.wp_id.isdigit() else 0),
        )
    images = [image for image in images if image.is_image]
    if not images:
        return ""
    figures = []
    for image in images:
        caption = f"<figcaption>{escape(image.caption)}</figcaption>" if image.caption else ""
        figures.append(
            f'<figure class="gallery-item"><a href="{escape(image.url)}">'
            f'<img src="{escape(image.url)}" alt="{escape(image.alt)}"></a>{caption}</figure>'
        )
    return f'<div class="gallery">{"".join(figures)}</div>'


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


def convert_body(text: str, *, attachments=None, new_urls=None, post_id: str = "") -> str:
    """A WordPress post body as the blog's sanitised HTML."""
    text = text or ""
    if _BLOCK_EDITOR_MARK in text:
        text = expand_shortcodes(text, attachments=attachments, post_id=post_id)
    else:
        kept = _Kept()
        text = expand_shortcodes(text, attachments=attachments, post_id=post_id, kept=kept)
        text = wpautop(text, kept=kept)
    text = rewrite_upload_urls(text, new_urls or {})
    return sanitize_html(text).strip()
