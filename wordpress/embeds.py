"""Embedded players in WordPress bodies, turned into links the blog keeps.

The sanitiser allows no ``<iframe>``, ``<object>``, ``<embed>``, ``<video>`` or
``<audio>``: left as they are, they would vanish with their address. Each one
becomes a paragraph holding a single link, to the video's own page for the
providers WordPress blogs use most (YouTube, Dailymotion, Vimeo, arte.tv), to
the player or the file otherwise. A paragraph with one link on its own is what
an embedding feature would look for.
"""

import html
import re
from urllib.parse import parse_qs, unquote, urlsplit

from django.utils.translation import gettext as _

_YOUTUBE_ID = re.compile(r"^[\w-]{6,20}$")
_DAILYMOTION_ID = re.compile(r"^[a-zA-Z0-9]{5,12}$")
_ARTE_PROGRAM = re.compile(r"/(fr|de|en|es|pl|it)/(?:videos/|embed/)?(\d{6}-\d{3}-[A-Z])")
_ARTE_ID = re.compile(r"(\d{6}-\d{3}-[A-Z])")


def url_scheme(url: str) -> str:
    """The URL's scheme, lower case; "" for text that is not a URL (``http://[x`` included)."""
    try:
        return urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""


def _host(parts) -> str:
    host = (parts.hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _is_host(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _first(query: dict, *names: str) -> str:
    for name in names:
        if query.get(name):
            return query[name][0]
    return ""


def youtube_url(video_id: str, *, start: str = "") -> str:
    url = f"https://www.youtube.com/watch?v={video_id}"
    start = start.rstrip("s")
    return f"{url}&t={start}s" if start.isdigit() else url


def dailymotion_url(video_id: str) -> str:
    return f"https://www.dailymotion.com/video/{video_id}"


def vimeo_url(video_id: str) -> str:
    return f"https://vimeo.com/{video_id}"


def _youtube(parts, query):
    host, segments = _host(parts), [s for s in parts.path.split("/") if s]
    start = _first(query, "start", "t")
    if host == "youtu.be" and segments:
        return youtube_url(segments[0], start=start) if _YOUTUBE_ID.match(segments[0]) else None
    if not (_is_host(host, "youtube.com") or _is_host(host, "youtube-nocookie.com")):
        return None
    video_id = _first(query, "v")
    if not video_id and len(segments) >= 2 and segments[0] in ("embed", "v", "e", "shorts", "live"):
        video_id = segments[1]
    if video_id == "videoseries" or (not video_id and _first(query, "list")):
        playlist = _first(query, "list")
        return f"https://www.youtube.com/playlist?list={playlist}" if playlist else None
    # Old Flash players: /v/ID&hl=fr&fs=1
    video_id = video_id.split("&")[0]
    return youtube_url(video_id, start=start) if _YOUTUBE_ID.match(video_id) else None


def _dailymotion(parts, query):
    host, segments = _host(parts), [s for s in parts.path.split("/") if s]
    if host == "dai.ly" and segments:
        video_id = segments[0]
    elif _is_host(host, "dailymotion.com"):
        video_id = _first(query, "video")
        if not video_id and "video" in segments[:-1]:
            video_id = segments[segments.index("video") + 1]
        elif not video_id and len(segments) == 2 and segments[0] == "swf":
            video_id = segments[1]
        # /video/x7tgad0_a-slug → x7tgad0
        video_id = video_id.split("_")[0]
    else:
        return None
    return dailymotion_url(video_id) if _DAILYMOTION_ID.match(video_id) else None


def _vimeo(parts, query):
    host, segments = _host(parts), [s for s in parts.path.split("/") if s]
    if not _is_host(host, "vimeo.com"):
        return None
    video_id = _first(query, "clip_id")
    if not video_id:
        numeric = [s for s in segments if s.isdigit()]
        video_id = numeric[0] if numeric else ""
    if not video_id.isdigit():
        return None
    private = _first(query, "h")
    return vimeo_url(f"{video_id}/{private}" if private.isalnum() else video_id)


def _arte(parts, query):
    if not _is_host(_host(parts), "arte.tv"):
        return None
    # The program is often inside a percent-encoded ``json_url`` parameter.
    text = unquote(unquote(parts.path + "?" + parts.query))
    match = _ARTE_PROGRAM.search(text)
    if match:
        return f"https://www.arte.tv/{match.group(1)}/videos/{match.group(2)}/"
    match = _ARTE_ID.search(text)
    if match:
        language = _first(query, "lang")[:2] or "fr"
        return f"https://www.arte.tv/{language}/videos/{match.group(1)}/"
    return None


PROVIDERS = {"YouTube": _youtube, "Dailymotion": _dailymotion, "Vimeo": _vimeo, "arte.tv": _arte}


def absolute(url: str) -> str:
    """``//host/x`` (protocol-relative, common in embed codes) → ``https://host/x``."""
    url = html.unescape(url or "").strip()
    return f"https:{url}" if url.startswith("//") else url


def canonical_url(url: str) -> tuple[str, str]:
    """(provider name or "", the address to link to) for a player's or a video's address.

    For a known provider, its page for the video (``https://www.youtube.com/watch?v=ID``);
    otherwise the address itself, made absolute.
    """
    url = absolute(url)
    try:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
    except ValueError:
        return "", url
    for name, canonical in PROVIDERS.items():
        found = canonical(parts, query)
        if found:
            return name, found
    return "", url


def provider_url(provider: str, value: str) -> str:
    """The video's page for a provider's shortcode: ``value`` is an address or an identifier."""
    value = html.unescape(value or "").strip()
    if url_scheme(absolute(value)) in ("http", "https"):
        return canonical_url(value)[1]
    # Jetpack writes [youtube ID&w=640&h=390] as well as [youtube URL].
    value = value.split("&")[0].split("?")[0]
    if provider == "youtube" and _YOUTUBE_ID.match(value):
        return youtube_url(value)
    if provider == "dailymotion" and _DAILYMOTION_ID.match(value):
        return dailymotion_url(value)
    if provider == "vimeo" and value.isdigit():
        return vimeo_url(value)
    return ""


# Players --------------------------------------------------------------------

_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_IFRAME = re.compile(r"<iframe\b([^>]*?)(?:/>|>.*?</iframe\s*>)", re.IGNORECASE | re.DOTALL)
# An opening tag never closed: the rest of the text is not part of it.
_IFRAME_LONE = re.compile(r"<iframe\b([^>]*)>", re.IGNORECASE)
_OBJECT = re.compile(r"<object\b([^>]*)>(.*?)</object\s*>", re.IGNORECASE | re.DOTALL)
_EMBED_TAG = re.compile(r"<embed\b([^>]*?)/?>(?:\s*</embed\s*>)?", re.IGNORECASE)
_PARAM = re.compile(r"<param\b([^>]*)>", re.IGNORECASE)
_MEDIA_TAG = re.compile(r"<(video|audio)\b([^>]*)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_SOURCE = re.compile(r"<source\b([^>]*)>", re.IGNORECASE)
# A lone opening tag with a file (no closing tag), as some plugins write it.
_MEDIA_LONE = re.compile(r"<(video|audio)\b([^>]*\bsrc\s*=[^>]*)/?>", re.IGNORECASE)


def attributes(tag_text: str) -> dict:
    found = {}
    for match in _ATTRIBUTE.finditer(tag_text):
        value = next(group for group in match.groups()[1:] if group is not None)
        found.setdefault(match.group(1).lower(), html.unescape(value).strip())
    return found


def _web(url: str) -> bool:
    return url_scheme(absolute(url)) in ("http", "https")


def link_paragraph(url: str) -> str:
    """A paragraph holding one link to ``url`` (escaped), the link's text being the address."""
    url = html.escape(absolute(url), quote=True)
    return f'<p><a href="{url}">{url}</a></p>'


def replace_players(text: str, *, notes, kept=None) -> str:
    """Each embedded player or HTML5 media element → a paragraph with its link, counted in ``notes``.

    One with no usable address is removed, and that is counted too.
    """
    kept = kept or (lambda block: block)

    def player(url, what):
        if not _web(url):
            notes.convert(_("%s without an address: removed") % what)
            return ""
        provider, link = canonical_url(url)
        if provider:
            notes.convert(_("%(provider)s players (%(what)s) → links to the video") % {
                "provider": provider, "what": what,
            })  # fmt: skip
        else:
            notes.convert(_("other players (%s) → links to the player") % what)
        return kept(link_paragraph(link))

    def iframe(match):
        found = attributes(match.group(1))
        return player(found.get("src") or found.get("data-src", ""), "<iframe>")

    def object_(match):
        found = attributes(match.group(1))
        url = found.get("data", "")
        if not _web(url):
            for param in _PARAM.finditer(match.group(2)):
                values = attributes(param.group(1))
                if values.get("name", "").lower() in ("movie", "src", "url", "filename"):
                    url = values.get("value", "")
                    break
        if not _web(url):
            embed = _EMBED_TAG.search(match.group(2))
            url = attributes(embed.group(1)).get("src", "") if embed else ""
        return player(url, "<object>")

    def embed(match):
        return player(attributes(match.group(1)).get("src", ""), "<embed>")

    def media(match, inner=""):
        tag = match.group(1).lower()
        url = attributes(match.group(2)).get("src", "")
        if not _web(url):
            for source in _SOURCE.finditer(inner):
                url = attributes(source.group(1)).get("src", "")
                if _web(url):
                    break
        if not _web(url):
            notes.convert(_("<%s> without a file address: removed") % tag)
            return ""
        provider, link = canonical_url(url)
        if provider:
            notes.convert(_("%(provider)s players (%(what)s) → links to the video") % {
                "provider": provider, "what": f"<{tag}>",
            })  # fmt: skip
        else:
            notes.convert(_("<%s> → links to the file") % tag)
        return kept(link_paragraph(link))

    text = _IFRAME.sub(iframe, text)
    text = _IFRAME_LONE.sub(iframe, text)
    text = _OBJECT.sub(object_, text)
    text = _EMBED_TAG.sub(embed, text)
    text = _MEDIA_TAG.sub(lambda match: media(match, match.group(3)), text)
    return _MEDIA_LONE.sub(media, text)
