"""Videos and social posts in a text, shown as cards that ask the provider nothing.

A paragraph holding only a link (a bare address, or a lone ``<a>``) to a known
provider becomes, in the shown body, a card: the provider's name, the title,
our own copy of the picture and a link to the original. For video providers a
"Play" link replaces the card with the provider's player when the reader clicks
it (``static/medialib/embeds.js``); without JavaScript it opens the player.
Until then the reader's browser sends nothing to the provider.

The provider's data comes from its oEmbed endpoint, found in micawber's
registry, fetched once when an article is saved and kept in ``Embed``. A fetch
is time-limited; one that fails leaves the paragraph a link (and is tried again
later), never fails the save.

Links are recognised by their host, compared exactly with each provider's own
hosts (``youtube.com.evil.example`` is not YouTube); the player's address is
built here from the video's id, never taken from the provider's HTML.
"""

import contextvars
import functools
import hashlib
import http.client
import logging
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from html import unescape
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

import micawber
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from micawber.exceptions import ProviderException, ProviderHTTPException, ProviderTimeoutException

from . import images
from .sanitize import html_to_text

logger = logging.getLogger(__name__)

USER_AGENT = "Mozilla/5.0 (compatible; blog embeds)"
OEMBED_MAX_BYTES = 256 * 1024
THUMBNAIL_MAX_BYTES = 3 * 1024 * 1024
THUMBNAIL_WIDTH = 760
TITLE_MAX_LENGTH = 300
AUTHOR_MAX_LENGTH = 200


@dataclass(frozen=True)
class Provider:
    name: str  # Embed.provider
    label: str  # what readers see
    video: bool


PROVIDERS = {
    provider.name: provider
    for provider in (
        Provider("youtube", "YouTube", True),
        Provider("vimeo", "Vimeo", True),
        Provider("dailymotion", "Dailymotion", True),
        Provider("x", "X (Twitter)", False),
        Provider("linkedin", "LinkedIn", False),
        Provider("mastodon", "Mastodon", False),
        Provider("bluesky", "Bluesky", False),
    )
}


@dataclass(frozen=True)
class Link:
    """A link recognised as a provider's: its canonical address (the key of its
    ``Embed``), the oEmbed endpoint to ask (none: nothing to fetch) and the
    player's address (none: no player)."""

    provider: str
    url: str
    endpoint: str = ""
    player_url: str = ""
    start: int = 0  # seconds into the video where the link starts (YouTube's "t")


# Recognising links
# ------------------------------------------------------------------------------
YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
VIMEO_PATH = re.compile(
    r"/(?:video/|channels/[\w-]+/|groups/[\w-]+/videos/)?(\d{4,12})(?:/([0-9a-f]{6,20}))?/?"
)
DAILYMOTION_HOSTS = {"dailymotion.com", "www.dailymotion.com", "geo.dailymotion.com"}
DAILYMOTION_ID = re.compile(r"x[0-9a-zA-Z]{4,12}")
X_HOSTS = {"x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"}
X_PATH = re.compile(r"/(\w{1,15})/status(?:es)?/(\d{1,20})/?")
BLUESKY_PATH = re.compile(r"/profile/([\w.:-]{1,253})/post/([a-z0-9]{6,20})/?")
MASTODON_PATH = re.compile(r"/(@\w{1,30}(?:@[\w.-]{1,253})?)/(\d{1,20})/?")
LINKEDIN_HOSTS = {"linkedin.com", "www.linkedin.com"}
LINKEDIN_PATH = re.compile(
    r"/(?:posts|pulse)/[\w%.-]{1,300}/?|/feed/update/urn:li:(?:activity|share|ugcPost):\d{1,25}/?"
)


def _host(url: str) -> tuple[str, object] | None:
    """The lower-case host of an http(s) ``url`` and its parts, or None when it is not
    a plain public web address (other scheme, user name, unusual port)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or parts.username or parts.password:
        return None
    if port not in {None, 80, 443} or not parts.hostname:
        return None
    return parts.hostname.rstrip(".").lower(), parts


def _basic_endpoint(url: str) -> str:
    """The oEmbed endpoint micawber's registry knows for ``url`` (empty if none)."""
    provider = _micawber_registry().provider_for_url(url)
    return provider.endpoint if provider is not None else ""


@functools.cache
def _micawber_registry():
    return micawber.bootstrap_basic()


TIMESTAMP = re.compile(r"(?:(\d{1,2})h)?(?:(\d{1,3})m)?(?:(\d{1,5})s?)?")


def _seconds(query: dict) -> int:
    """The start of a YouTube link in seconds ("t=90", "t=1m30s", "start=90"), 0 if none."""
    value = (query.get("t") or query.get("start") or [""])[0]
    match = TIMESTAMP.fullmatch(value) if value else None
    if not match:
        return 0
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def recognise(url: str) -> Link | None:
    """The ``Link`` for ``url`` if it is a video or post of a known provider, else None."""
    found = _host(url)
    if found is None:
        return None
    host, parts = found
    path = parts.path
    query = parse_qs(parts.query)
    if host in YOUTUBE_HOSTS or host == "youtu.be":
        if host == "youtu.be":
            video = path.strip("/")
        elif path in {"/watch", "/watch/"}:
            video = (query.get("v") or [""])[0]
        else:
            match = re.fullmatch(r"/(?:shorts|live|embed|v)/([^/]+)/?", path)
            video = match.group(1) if match else ""
        if not YOUTUBE_ID.fullmatch(video):
            return None
        canonical = f"https://www.youtube.com/watch?v={video}"
        player = f"https://www.youtube-nocookie.com/embed/{video}?autoplay=1"
        return Link("youtube", canonical, _basic_endpoint(canonical), player, _seconds(query))
    if host in VIMEO_HOSTS:
        match = VIMEO_PATH.fullmatch(path)
        if not match:
            return None
        video, secret = match.group(1), match.group(2) or (query.get("h") or [""])[0]
        if secret and not re.fullmatch(r"[0-9a-f]{6,20}", secret):
            return None
        canonical = f"https://vimeo.com/{video}" + (f"/{secret}" if secret else "")
        player = f"https://player.vimeo.com/video/{video}?" + urlencode(
            {"autoplay": 1, "dnt": 1, **({"h": secret} if secret else {})}
        )
        return Link("vimeo", canonical, _basic_endpoint(canonical), player)
    if host in DAILYMOTION_HOSTS or host == "dai.ly":
        if host == "dai.ly":
            video = path.strip("/")
        elif host == "geo.dailymotion.com":
            video = (query.get("video") or [""])[0] if path == "/player.html" else ""
        else:
            match = re.fullmatch(r"/(?:embed/)?video/([^/_]+)(?:_[^/]*)?/?", path)
            video = match.group(1) if match else ""
        if not DAILYMOTION_ID.fullmatch(video):
            return None
        canonical = f"https://www.dailymotion.com/video/{video}"
        player = f"https://www.dailymotion.com/embed/video/{video}?autoplay=1"
        return Link("dailymotion", canonical, _basic_endpoint(canonical), player)
    if host in X_HOSTS:
        match = X_PATH.fullmatch(path)
        if not match:
            return None
        canonical = f"https://x.com/{match.group(1)}/status/{match.group(2)}"
        return Link("x", canonical, _basic_endpoint(canonical))
    if host == "bsky.app":
        match = BLUESKY_PATH.fullmatch(path)
        if not match:
            return None
        canonical = f"https://bsky.app/profile/{match.group(1)}/post/{match.group(2)}"
        return Link("bluesky", canonical, _basic_endpoint(canonical))
    if host in {server.lower() for server in settings.EMBED_MASTODON_SERVERS}:
        match = MASTODON_PATH.fullmatch(path)
        if not match:
            return None
        canonical = f"https://{host}/{match.group(1)}/{match.group(2)}"
        return Link("mastodon", canonical, f"https://{host}/api/oembed")
    if host in LINKEDIN_HOSTS:
        # LinkedIn offers no oEmbed: its card has the link alone.
        if not LINKEDIN_PATH.fullmatch(path):
            return None
        return Link("linkedin", f"https://www.linkedin.com{path}")
    return None


# Fetching, time-limited
# ------------------------------------------------------------------------------
_fetching_allowed = contextvars.ContextVar("embed_fetching_allowed", default=True)


@contextmanager
def fetching_disabled():
    """Within this block, saves make cards only from data already stored: for bulk
    writes (imports) that must not wait for providers."""
    token = _fetching_allowed.set(False)
    try:
        yield
    finally:
        _fetching_allowed.reset(token)


class _HttpsRedirectsOnly(HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme != "https":
            raise HTTPError(newurl, code, "redirect away from https refused", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = build_opener(_HttpsRedirectsOnly)


def http_get(url: str, *, max_bytes: int) -> bytes:
    """The body of an https GET of ``url``, at most ``max_bytes`` long, or
    ``ProviderException``. The whole request takes about ``EMBED_FETCH_TIMEOUT``
    seconds at most (urllib's own timeout applies to each network wait only)."""
    if urlsplit(url).scheme != "https":
        raise ProviderException(f"Not an https address: {url}")
    timeout = settings.EMBED_FETCH_TIMEOUT
    deadline = time.monotonic() + timeout
    request = Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with _opener.open(request, timeout=timeout) as response:
            body = bytearray()
            while chunk := response.read1(64 * 1024):
                body += chunk
                if len(body) > max_bytes:
                    raise ProviderException(f"Answer larger than {max_bytes} bytes: {url}")
                if time.monotonic() > deadline:
                    raise ProviderTimeoutException(f"Timed out fetching {url}")
            return bytes(body)
    except HTTPError as error:
        raise ProviderHTTPException(url, error.code) from error
    except TimeoutError as error:
        raise ProviderTimeoutException(f"Timed out fetching {url}") from error
    except (URLError, OSError, ValueError, http.client.HTTPException) as error:
        raise ProviderException(f"Error fetching {url}: {error}") from error


class _TimedProvider(micawber.Provider):
    """micawber's oEmbed provider, fetching through ``http_get``."""

    def fetch(self, url):
        try:
            return http_get(url, max_bytes=OEMBED_MAX_BYTES).decode("utf-8")
        except UnicodeDecodeError as error:
            raise ProviderException(f"Answer not in UTF-8: {url}") from error


def _oembed(link: Link) -> dict:
    if not link.endpoint:
        return {}
    return _TimedProvider(link.endpoint, timeout=settings.EMBED_FETCH_TIMEOUT).request(link.url)


FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S | re.I)


def _text(value, limit: int) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _title(data: dict, link: Link) -> str:
    """The oEmbed title, or for a post (which has none) the words of its text."""
    title = data.get("title")
    # micawber gives a response without a title the address as its title.
    if isinstance(title, str) and title.strip() and not title.strip().startswith(("http://", "https://")):
        return _text(title, TITLE_MAX_LENGTH)
    html = data.get("html")
    match = FIRST_PARAGRAPH.search(html) if isinstance(html, str) else None
    return _text(html_to_text(match.group(1)), TITLE_MAX_LENGTH) if match else ""


def _thumbnail(url, link: Link) -> ContentFile | None:
    """Our clean copy of the picture at ``url`` (re-encoded, metadata removed), or None."""
    if not isinstance(url, str) or not url:
        return None
    if url.startswith("http://"):
        url = "https://" + url[len("http://") :]
    if _host(url) is None or not url.startswith("https://"):
        return None
    try:
        data = http_get(url, max_bytes=THUMBNAIL_MAX_BYTES)
    except ProviderException as error:
        logger.info("No picture for %s: %s", link.url, error)
        return None
    name = hashlib.sha256(link.url.encode()).hexdigest()[:20] + ".jpg"
    try:
        return images.clean_image_upload(ContentFile(data, name=name), max_width=THUMBNAIL_WIDTH)
    except ValidationError:
        logger.info("The picture of %s is not a usable image", link.url)
        return None


def embed_fetch(link: Link):
    """Ask the provider about ``link`` and store what it says in an ``Embed``
    (marked failed if it could not be fetched); never raises for the provider's faults."""
    embed_model = apps.get_model("medialib", "Embed")
    try:
        data = _oembed(link)
    except ProviderException as error:
        logger.warning("Embed of %s not fetched: %s", link.url, error)
        embed, _created = embed_model.objects.update_or_create(
            url=link.url,
            defaults={"provider": link.provider, "fetched_at": timezone.now(), "failed": True},
        )
        return embed
    defaults = {
        "provider": link.provider,
        "title": _title(data, link),
        "author_name": _text(data.get("author_name"), AUTHOR_MAX_LENGTH),
        "player_url": link.player_url,
        "fetched_at": timezone.now(),
        "failed": False,
    }
    thumbnail = _thumbnail(data.get("thumbnail_url"), link)
    if thumbnail is not None:
        defaults["thumbnail"] = thumbnail
    embed, _created = embed_model.objects.update_or_create(url=link.url, defaults=defaults)
    return embed


# Cards in a text
# ------------------------------------------------------------------------------
# A paragraph holding only a link, as the sanitiser writes it: a lone <a> (its
# text anything but another link) or a bare address, maybe with spaces around.
_SPACE = r"(?:\s|&nbsp;|\xa0|<br>)*"
LONE_LINK = re.compile(
    r"<p(?:\s[^>]*)?>" + _SPACE + r"(?:<a\s(?P<attributes>(?:[^>\"]|\"[^\"]*\")*)>"
    r"(?P<text>(?:(?!</?a[\s>]).)*?)</a>|(?P<bare>https?://[^\s<\"]+))" + _SPACE + r"</p>",
    re.S | re.I,
)
HREF = re.compile(r'\shref="([^"]*)"')


def _card(embed, provider: Provider, start: int = 0) -> str:
    label = provider.label
    title = embed.title or (
        _("A video on %(provider)s") if provider.video else _("A post on %(provider)s")
    ) % {"provider": label}
    parts = [format_html('<figure class="embed embed--{}">', provider.name)]
    if embed.thumbnail:
        parts.append(
            format_html(
                '<img class="embed__thumbnail" src="{}" alt="" width="{}" height="{}" '
                'loading="lazy" decoding="async">',
                embed.thumbnail.url,
                embed.thumbnail_width or "",
                embed.thumbnail_height or "",
            )
        )
    parts.append(
        format_html(
            '<figcaption class="embed__caption"><span class="embed__provider">{}</span> '
            '<a class="embed__title" href="{}">{}</a>',
            label,
            f"{embed.url}&t={start}s" if start else embed.url,
            title,
        )
    )
    if embed.author_name:
        parts.append(format_html(' <span class="embed__author">{}</span>', embed.author_name))
    origins = settings.EMBED_PLAYER_ORIGINS.get(provider.name, [])
    player = embed.player_url + (f"&start={start}" if start and embed.player_url else "")
    if player and provider.name in settings.EMBED_PLAYERS and _origin(player) in origins:
        parts.append(
            format_html(
                ' <a class="embed__play" href="{}">{}</a>',
                player,
                _("Play the video (loaded from %(provider)s)") % {"provider": label},
            )
        )
    parts.append("</figcaption></figure>")
    return "".join(parts)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def embed_cards(html: str, *, fetch: bool = True) -> str:
    """``html`` (sanitised) with each paragraph holding only a provider's link made a card.

    Links whose data is not stored yet are fetched when ``fetch`` is true (and
    ``EMBED_FETCH`` on, outside ``fetching_disabled``), within
    ``EMBED_SAVE_BUDGET`` seconds for the whole text; the others become cards
    from their address alone (provider, link, player) until a save asks. A link
    whose provider failed stays a link. A text without such links costs no query.
    """
    if not html or "http" not in html:
        return html
    found = []
    for match in LONE_LINK.finditer(html):
        if match.group("bare"):
            href = match.group("bare")
        else:
            attribute = HREF.search(" " + match.group("attributes"))
            href = attribute.group(1) if attribute else ""
        link = recognise(unescape(href)) if href else None
        if link is not None:
            found.append((match, link))
    if not found:
        return html
    embed_model = apps.get_model("medialib", "Embed")
    embeds = {
        embed.url: embed for embed in embed_model.objects.filter(url__in={link.url for _m, link in found})
    }
    if fetch and settings.EMBED_FETCH and _fetching_allowed.get():
        deadline = time.monotonic() + settings.EMBED_SAVE_BUDGET
        retry_before = timezone.now() - timedelta(seconds=settings.EMBED_RETRY_SECONDS)
        for _match, link in found:
            stored = embeds.get(link.url)
            if stored is not None and not (stored.failed and stored.fetched_at < retry_before):
                continue
            if time.monotonic() >= deadline:
                break
            embeds[link.url] = embed_fetch(link)
    parts, position = [], 0
    # Stored once for every reader, in the site's language whoever saves it.
    with translation.override(settings.LANGUAGE_CODE):
        for match, link in found:
            embed = embeds.get(link.url)
            if embed is None:
                # Not asked (an import, a refresh, no time left in this save): a card from the
                # address alone, its player included; the next save that asks fills it in.
                embed = embed_model(url=link.url, provider=link.provider, player_url=link.player_url)
            elif embed.failed:
                continue
            parts += [html[position : match.start()], _card(embed, PROVIDERS[link.provider], link.start)]
            position = match.end()
    parts.append(html[position:])
    return "".join(parts)
