"""An embedded video asks its provider nothing until the reader clicks "Play"; then the player comes.

The provider's player is answered by a local stub (``page.route``): nothing leaves the machine.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from medialib.models import Embed
from tests.browser_fixtures import _local_only
from tests.factories import ArticleFactory

pytestmark = pytest.mark.browser

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
PLAYER = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
STUB = "<!doctype html><html lang='fr'><title>Lecteur</title><p>Lecteur de test</p></html>"


@pytest.fixture
def video_article(transactional_db):
    # Stored as a fetch would have left it: the save makes the card without asking YouTube.
    Embed.objects.create(
        url=VIDEO,
        provider="youtube",
        title="Les réseaux sociaux expliqués",
        author_name="Chaîne Exemple",
        player_url=PLAYER,
        fetched_at=timezone.now(),
    )
    return ArticleFactory(body=f"<p>Avant la vidéo.</p><p>{VIDEO}</p><p>Après la vidéo.</p>")


def stub_player(page, hits):
    def answer(route):
        hits.append(route.request.url)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=STUB)

    page.route("https://www.youtube-nocookie.com/**", answer)


def test_the_player_is_loaded_only_once_the_reader_clicks_play(live_server, page, video_article):
    requests, hits, console = [], [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(message.text))
    stub_player(page, hits)

    address = live_server.url + video_article.get_absolute_url()
    page.goto(address)
    page.wait_for_load_state("networkidle")

    origin = urlsplit(live_server.url).netloc
    assert [url for url in requests if urlsplit(url).netloc != origin] == []
    assert hits == [] and page.locator("iframe").count() == 0
    card = page.locator("figure.embed")
    assert "Les réseaux sociaux expliqués" in card.inner_text()
    play = card.get_by_role("link", name=re.compile("YouTube"))
    assert play.get_attribute("href") == PLAYER

    play.click()

    frame = page.locator("figure.embed iframe.embed__player")
    frame.wait_for()
    assert frame.get_attribute("src") == PLAYER
    assert frame.get_attribute("title") == "Les réseaux sociaux expliqués"
    page.frame_locator("figure.embed iframe").get_by_text("Lecteur de test").wait_for()
    assert hits == [PLAYER]
    assert page.url == address
    assert card.get_by_role("link", name=re.compile("YouTube")).count() == 0
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    # The page's Content-Security-Policy let the player in, and nothing else was refused.
    assert not [text for text in console if "Content Security Policy" in text], console


def test_without_javascript_play_is_a_plain_link_to_the_player(live_server, browser, video_article):
    context = browser.new_context(java_script_enabled=False)
    context.route("**/*", _local_only)
    page = context.new_page()
    hits = []
    stub_player(page, hits)
    page.goto(live_server.url + video_article.get_absolute_url())
    assert hits == []

    page.locator("a.embed__play").click()
    page.wait_for_url(PLAYER)
    assert hits == [PLAYER]
    context.close()


def test_a_play_link_to_another_site_never_becomes_a_frame(live_server, page, transactional_db):
    # Markup that looks like a card, typed into a body: its link stays a link.
    article = ArticleFactory(
        body='<figure class="embed"><figcaption>'
        '<a class="embed__title" href="https://evil.example/">Piège</a> '
        '<a class="embed__play" href="https://evil.example/player">Lire la vidéo</a></figcaption></figure>'
    )
    hits = []
    page.route(
        "https://evil.example/**",
        lambda route: (
            hits.append(route.request.url) or route.fulfill(status=200, body=STUB, content_type="text/html")
        ),
    )
    page.goto(live_server.url + article.get_absolute_url())
    page.locator("a.embed__play").click()
    page.wait_for_url("https://evil.example/player")
    assert hits == ["https://evil.example/player"]
