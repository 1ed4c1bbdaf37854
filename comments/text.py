"""Readers' comments are plain text: paragraphs, line breaks and clickable links, nothing else."""

import re

from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

PARAGRAPH_BREAK = re.compile(r"\r?\n\s*\r?\n")


def render_comment_text(text: str) -> SafeString:
    """HTML for a comment: urlize() escapes every character the reader typed.

    urlize() only links http(s)://, www. and e-mail addresses, so a
    ``javascript:`` URL stays text; links get ``rel="nofollow ugc"``.
    """
    text = (text or "").replace("\r\n", "\n").strip()
    paragraphs = [part.strip() for part in PARAGRAPH_BREAK.split(text) if part.strip()]
    html = []
    for paragraph in paragraphs:
        linked = urlize(paragraph, nofollow=True, autoescape=True)
        linked = linked.replace(' rel="nofollow"', ' rel="nofollow ugc noopener"')
        html.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(html))  # urlize escaped everything else


def is_safe_website(url: str) -> bool:
    """Only http(s) websites become links (old imported rows may hold anything)."""
    return (url or "").lower().startswith(("http://", "https://"))
