"""Links to videos and posts become cards that ask the provider nothing until the reader plays.

The providers' answers are recorded (fixtures/*.json); no test leaves the machine.
"""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from micawber.exceptions import ProviderException, ProviderHTTPException, ProviderTimeoutException

from blog.models import Article
from blog.services import article_bodies_refresh
from medialib import embeds
from medialib.models import Embed
from medialib.sanitize import sanitize_html
from tests.factories import ArticleFactory, image_bytes

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
PLAYER = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"


def recorded(name):
    return (FIXTURES / f"{name}.json").read_bytes()


class RecordedWeb:
    """Stands for the network: answers by address prefix, and notes every request."""

    def __init__(self):
        self.requests = []
        self.answers = {
            "https://www.youtube.com/oembed?": recorded("youtube"),
            "https://vimeo.com/api/oembed.json?": recorded("vimeo"),
            "https://www.dailymotion.com/services/oembed?": recorded("dailymotion"),
            "https://publish.x.com/oembed?": recorded("x"),
            "https://embed.bsky.app/oembed?": recorded("bluesky"),
            "https://mastodon.social/api/oembed?": recorded("mastodon"),
            "https://i.ytimg.com/": image_bytes(480, 360),
            "https://i.vimeocdn.com/": image_bytes(640, 360, format="PNG"),
            "https://s1.dmcdn.net/": b"<html>not an image</html>",
        }

    def __call__(self, url, *, max_bytes):
        self.requests.append(url)
        for prefix, answer in self.answers.items():
            if url.startswith(prefix):
                if isinstance(answer, Exception):
                    raise answer
                return answer
        raise ProviderHTTPException(url, 404)


@pytest.fixture
def web(settings, monkeypatch):
    settings.EMBED_FETCH = True
    fake = RecordedWeb()
    monkeypatch.setattr(embeds, "http_get", fake)
    return fake


def body_of(**kwargs):
    return ArticleFactory(**kwargs).body_html


def test_a_bare_video_address_becomes_a_card_with_our_copy_of_its_picture(web):
    html = body_of(body=f"<p>Avant.</p><p>{YOUTUBE}&amp;si=pistage</p><p>Après.</p>")

    assert html.startswith('<p>Avant.</p><figure class="embed embed--youtube">')
    assert html.endswith("</figure><p>Après.</p>")
    assert '<span class="embed__provider">YouTube</span>' in html
    assert f'<a class="embed__title" href="{YOUTUBE}">Les réseaux sociaux expliqués en 5 minutes</a>' in html
    assert '<span class="embed__author">Chaîne Exemple</span>' in html
    assert f'<a class="embed__play" href="{PLAYER.replace("&", "&amp;")}">' in html
    assert "Lire la vidéo (chargée depuis YouTube)" in html or "Play the video (loaded from YouTube)" in html
    # The picture is ours, under the media address; nothing on the page loads from YouTube.
    embed = Embed.objects.get()
    assert embed.thumbnail.name.startswith("embeds/") and storages["default"].exists(embed.thumbnail.name)
    assert (embed.thumbnail_width, embed.thumbnail_height) == (480, 360)
    assert f'src="{embed.thumbnail.url}"' in html and embed.thumbnail.url.startswith("/media/")
    assert re.findall(r'\ssrc="([^"]*)"', html) == [embed.thumbnail.url]
    assert "<iframe" not in html and "ytimg" not in html and "si=pistage" not in html
    # The body as written keeps the link.
    assert Article.objects.get().body == f"<p>Avant.</p><p>{YOUTUBE}&amp;si=pistage</p><p>Après.</p>"


@pytest.mark.parametrize(
    "url",
    [
        "https://youtu.be/dQw4w9WgXcQ",
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ&feature=share",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
    ],
)
def test_every_form_of_a_video_address_is_the_same_video(web, url):
    html = body_of(body=f'<p><a href="{url}">Regardez la vidéo</a></p>')
    assert f'href="{YOUTUBE}"' in html and "embed__play" in html
    assert Embed.objects.get().url == YOUTUBE


def test_vimeo_and_dailymotion_cards_have_their_own_players(web):
    html = body_of(body="<p>https://vimeo.com/76979871</p><p>https://dai.ly/x8abc12</p>")

    assert "Une conférence sur la modération" in html
    assert 'href="https://player.vimeo.com/video/76979871?autoplay=1&amp;dnt=1"' in html
    assert "Reportage : la vie d&#x27;une rédaction" in html
    assert 'href="https://www.dailymotion.com/embed/video/x8abc12?autoplay=1"' in html
    # Dailymotion's picture was not an image: its card has none, Vimeo's has ours.
    vimeo, dailymotion = Embed.objects.get(provider="vimeo"), Embed.objects.get(provider="dailymotion")
    assert vimeo.thumbnail and not dailymotion.thumbnail
    assert html.count('class="embed__thumbnail"') == 1


def test_posts_show_their_text_and_author_with_no_player(web, settings):
    html = body_of(
        body=(
            "<p>https://twitter.com/exemple/status/1234567890123456789</p>"
            "<p>https://bsky.app/profile/camille.bsky.social/post/3kabcdefgh2</p>"
            "<p>https://mastodon.social/@jeanne/112233445566778899</p>"
            "<p>https://www.linkedin.com/posts/jeanne-martin_moderation-activity-7100000000000000000-abcd</p>"
        )
    )

    assert html.count("<figure") == 4 and "embed__play" not in html
    assert "Notre nouvel article sur les #réseaux sociaux est en ligne &amp; il est long." in html
    assert '<span class="embed__author">Rédaction Exemple</span>' in html
    assert 'href="https://x.com/exemple/status/1234567890123456789"' in html
    assert "Premier message sur Bluesky" in html and "<script" not in html
    assert '<span class="embed__provider">Mastodon</span>' in html and "Jeanne Martin" in html
    # LinkedIn has no oEmbed: its card is made without asking it anything.
    assert '<span class="embed__provider">LinkedIn</span>' in html
    assert not any("linkedin" in request for request in web.requests)


def test_only_a_paragraph_holding_nothing_but_the_link_becomes_a_card(web):
    body = (
        f'<p>Voyez <a href="{YOUTUBE}">cette vidéo</a> ici.</p>'
        f"<ul><li>{YOUTUBE}</li></ul>"
        f'<p><a href="{YOUTUBE}">une</a> <a href="https://youtu.be/dQw4w9WgXcQ">deux</a></p>'
    )
    article = ArticleFactory(body=body)
    assert "<figure" not in article.body_html
    assert web.requests == []


def test_a_video_is_fetched_once_for_every_article_and_save(web):
    first = ArticleFactory(body=f"<p>{YOUTUBE}</p>")
    first.title = "Nouveau titre"
    first.save()
    second = ArticleFactory(body="<p>https://youtu.be/dQw4w9WgXcQ</p>")

    assert len([url for url in web.requests if "oembed" in url]) == 1
    assert len([url for url in web.requests if "ytimg" in url]) == 1
    assert "embed__title" in second.body_html and Embed.objects.count() == 1


@pytest.mark.parametrize(
    "failure",
    [
        ProviderTimeoutException("Timed out"),
        ProviderHTTPException("https://www.youtube.com/oembed", 500),
        ProviderException("Connection refused"),
        b"<html>Service Unavailable</html>",
        b"[1, 2, 3]",
        b"\xff\xfe not utf-8",
    ],
)
def test_a_failing_provider_leaves_the_link_and_the_save_goes_through(web, failure):
    web.answers["https://www.youtube.com/oembed?"] = failure
    body = f'<p><a href="{YOUTUBE}">La vidéo</a></p>'

    article = ArticleFactory(body=body)

    assert article.body_html == sanitize_html(body)
    assert Article.objects.filter(pk=article.pk).exists()
    assert Embed.objects.get().failed


def test_a_failed_fetch_is_tried_again_only_after_a_while(web, settings):
    web.answers["https://www.youtube.com/oembed?"] = ProviderTimeoutException("Timed out")
    article = ArticleFactory(body=f"<p>{YOUTUBE}</p>")
    web.answers["https://www.youtube.com/oembed?"] = recorded("youtube")

    article.save()
    assert "<figure" not in article.body_html
    assert len(web.requests) == 1

    Embed.objects.update(
        fetched_at=timezone.now() - datetime.timedelta(seconds=settings.EMBED_RETRY_SECONDS + 1)
    )
    article.save()
    assert "<figure" in article.body_html and not Embed.objects.get().failed


def bare_card(html):
    """A card made from the address alone: the provider, the link, the player on a click; no picture."""
    return (
        'class="embed embed--youtube"' in html
        and "embed__thumbnail" not in html
        and PLAYER.split("?")[0] in html
    )


def test_a_save_spends_at_most_its_budget_on_fetching(web, settings):
    settings.EMBED_SAVE_BUDGET = 0
    article = ArticleFactory(body=f"<p>{YOUTUBE}</p>")
    assert web.requests == [] and bare_card(article.body_html)
    assert not Embed.objects.exists()  # asked at the next save that has time
    article.save()
    assert web.requests == [] and not Embed.objects.exists()
    settings.EMBED_SAVE_BUDGET = 10
    article.save()
    assert Embed.objects.get().title and "embed__thumbnail" in article.body_html


def test_imports_may_switch_fetching_off(web):
    with embeds.fetching_disabled():
        article = ArticleFactory(body=f"<p>{YOUTUBE}</p>")
    assert web.requests == [] and bare_card(article.body_html)
    assert "Une vidéo sur YouTube" in article.body_html or "A video on YouTube" in article.body_html


@pytest.mark.parametrize(
    "body",
    [
        '<p><a href="javascript:alert(1)">https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></p>',
        "<p>javascript:alert(1)//https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>",
        "<p>https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ</p>",
        "<p>https://evil.example/x.youtube.com/watch?v=dQw4w9WgXcQ</p>",
        "<p>https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ</p>",
        "<p>https://www.youtube.com:8080/watch?v=dQw4w9WgXcQ</p>",
        "<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onerror=alert(1)</p>",
        "<p>https://www.youtube.com/watch?v=../../x</p>",
        "<p>https://evil-youtube.com/watch?v=dQw4w9WgXcQ</p>",
        "<p>https://vimeo.com/76979871/../../evil</p>",
        "<p>https://mastodon.evil.example/@jeanne/112233445566778899</p>",
        "<p>ftp://www.youtube.com/watch?v=dQw4w9WgXcQ</p>",
    ],
)
def test_hostile_or_look_alike_addresses_stay_as_they_were_and_ask_nobody(web, body):
    article = ArticleFactory(body=body)
    assert "<figure" not in article.body_html and "embed" not in article.body_html
    assert article.body_html == sanitize_html(body)
    assert web.requests == []


def test_what_a_provider_says_is_shown_as_text_never_as_markup(web):
    answer = json.loads(recorded("youtube"))
    answer.update(
        title='<script>alert("titre")</script><img src=x onerror=alert(1)>',
        author_name='"><iframe src="https://evil.example/">',
        thumbnail_url="javascript:alert(1)",
    )
    web.answers["https://www.youtube.com/oembed?"] = json.dumps(answer).encode()

    html = body_of(body=f"<p>{YOUTUBE}</p>")

    assert "<script" not in html and "<iframe" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;titre&quot;)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;iframe" in html
    assert not Embed.objects.get().thumbnail


def test_a_picture_elsewhere_than_on_the_web_is_not_fetched(web):
    answer = json.loads(recorded("youtube"))
    answer["thumbnail_url"] = "file:///etc/passwd"
    web.answers["https://www.youtube.com/oembed?"] = json.dumps(answer).encode()
    html = body_of(body=f"<p>{YOUTUBE}</p>")
    assert "<img" not in html and "embed__title" in html
    assert not any(request.startswith("file:") for request in web.requests)


def test_the_real_fetcher_refuses_anything_but_https():
    for url in ("http://www.youtube.com/oembed", "file:///etc/passwd", "ftp://example.org/x"):
        with pytest.raises(ProviderException):
            embeds.http_get(url, max_bytes=100)


def test_a_player_left_out_of_the_settings_leaves_the_card_without_play(web, settings):
    settings.EMBED_PLAYERS = ["youtube"]
    html = body_of(body=f"<p>https://vimeo.com/76979871</p><p>{YOUTUBE}</p>")
    assert html.count('class="embed__play"') == 1 and "player.vimeo.com" not in html


def test_refreshing_the_shown_bodies_keeps_the_cards_and_asks_nobody(web):
    article = ArticleFactory(body=f"<p>{YOUTUBE}</p><p>https://vimeo.com/76979871</p>")
    shown = article.body_html
    Embed.objects.filter(provider="vimeo").delete()
    requests = len(web.requests)

    assert article_bodies_refresh(articles=Article.objects.all()) == [article.pk]

    article.refresh_from_db()
    assert web.requests[requests:] == []
    assert "embed--youtube" in article.body_html and "embed--vimeo" in article.body_html
    # The Vimeo card lost what only its provider knew (picture, title) until a save asks again.
    assert article.body_html != shown and "i.vimeocdn" not in article.body_html


def test_deleting_an_embed_deletes_our_picture(web, django_capture_on_commit_callbacks):
    ArticleFactory(body=f"<p>{YOUTUBE}</p>")
    name = Embed.objects.get().thumbnail.name
    with django_capture_on_commit_callbacks(execute=True):
        Embed.objects.get().delete()
    assert not storages["default"].exists(name)


# The sanitiser
# ------------------------------------------------------------------------------
def test_the_sanitiser_keeps_a_card_but_never_a_frame(web):
    card = body_of(body=f"<p>{YOUTUBE}</p>")
    kept = sanitize_html(card)
    for part in (
        'class="embed embed--youtube"',
        'class="embed__play"',
        f'href="{YOUTUBE}"',
        'class="embed__title"',
    ):
        assert part in kept
    assert "<figcaption" in kept and "<img" in kept

    hostile = (
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>'
        '<figure class="embed"><iframe src="https://evil.example/"></iframe>'
        '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x">'
        '<a class="embed__play" href="javascript:alert(1)" onclick="alert(1)">Lire</a></figure>'
    )
    article = ArticleFactory(body=hostile)
    for html in (article.body, article.body_html):
        assert "<iframe" not in html and "<object" not in html and "<embed" not in html
        assert "javascript:" not in html and "onclick" not in html


# The page
# ------------------------------------------------------------------------------
def test_the_article_page_loads_the_player_script_and_allows_only_the_players(web, client):
    article = ArticleFactory(body=f"<p>{YOUTUBE}</p>")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()

    assert 'class="embed embed--youtube"' in html
    assert re.search(
        r'<script src="/static/medialib/embeds\.js" data-origins="[^"]*https://www\.youtube-nocookie\.com',
        html,
    )
    policy = response.headers["Content-Security-Policy"]
    frame_src = re.search(r"frame-src ([^;]*)", policy).group(1).split()
    assert frame_src == [
        "'self'",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
        "https://geo.dailymotion.com",
        "https://www.dailymotion.com",
    ]
    assert "frame-ancestors 'none'" in policy


# The admin
# ------------------------------------------------------------------------------
def test_the_admin_lists_and_finds_embeds_and_makes_none_by_hand(
    web, staff_client, django_assert_max_num_queries
):
    ArticleFactory(body=f"<p>{YOUTUBE}</p><p>https://vimeo.com/76979871</p>")
    changelist = reverse("admin:medialib_embed_changelist")

    with django_assert_max_num_queries(12):
        page = staff_client.get(changelist)
    assert page.status_code == 200
    assert "Les réseaux sociaux expliqués en 5 minutes" in page.content.decode()
    found = staff_client.get(changelist, {"q": "modération"}).content.decode()
    assert "Une conférence sur la modération" in found and "5 minutes" not in found
    assert staff_client.get(reverse("admin:medialib_embed_add")).status_code == 403
    embed = Embed.objects.get(provider="youtube")
    assert staff_client.get(reverse("admin:medialib_embed_change", args=[embed.pk])).status_code == 200


def test_deleting_an_embed_in_the_admin_has_it_fetched_again_at_the_next_save(web, staff_client):
    article = ArticleFactory(body=f"<p>{YOUTUBE}</p>")
    embed = Embed.objects.get()
    staff_client.post(reverse("admin:medialib_embed_delete", args=[embed.pk]), {"post": "yes"})
    assert not Embed.objects.exists()

    article.save()
    assert Embed.objects.count() == 1
    assert len([url for url in web.requests if "oembed" in url]) == 2


@pytest.mark.parametrize(
    ("url", "start"),
    [
        ("https://youtu.be/dQw4w9WgXcQ?t=90", 90),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s", 90),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1h2m3s", 3723),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=nonsense", 0),
    ],
)
def test_a_video_link_with_a_start_time_plays_from_there(web, url, start):
    html = body_of(body=f'<p><a href="{url.replace("&", "&amp;")}">La vidéo</a></p>')
    if start:
        assert f'href="{PLAYER.replace("&", "&amp;")}&amp;start={start}"' in html
        assert f'href="{YOUTUBE}&amp;t={start}s"' in html
    else:
        assert f'href="{PLAYER.replace("&", "&amp;")}"' in html and "start=" not in html
    assert Embed.objects.get().url == YOUTUBE


def test_imports_ask_no_provider_and_use_what_is_known(web, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from blog.models import Article
    from tests.wordpress.wxr import author, item, wxr

    body_of(body=f"<p>{YOUTUBE}</p>")  # a video already known from an earlier article
    web.requests.clear()
    vimeo = "https://vimeo.com/76979871"
    path = tmp_path / "export.xml"
    path.write_text(
        wxr(author("marie"), item(1, "Deux vidéos", content=f"<p>{YOUTUBE}</p>\n\n<p>{vimeo}</p>")),
        encoding="utf-8",
    )
    call_command("import_wordpress", str(path), stdout=StringIO(), stderr=StringIO())
    html = Article.objects.get(title="Deux vidéos").body_html
    assert web.requests == []  # "Nothing is downloaded", videos included
    assert "embed__thumbnail" in html and PLAYER.split("?")[0] in html  # the known one: its whole card
    assert "embed--vimeo" in html and "player.vimeo.com/video/76979871" in html  # the other: click-to-load
    assert not Embed.objects.filter(provider="vimeo").exists()  # its picture and title at the next save
