"""A reading session asks nothing of another site and leaves no cookie; its views are counted all the same."""

import time
from urllib.parse import urlsplit

import pytest

from audience.models import DailyViews
from audience.services import counts_flush
from blog.models import Article

pytestmark = pytest.mark.browser

READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
)


def test_a_reading_session_stays_on_the_site_and_sets_no_cookie(demo_site, page):
    requests = []
    page.on("request", lambda request: requests.append(request))
    article = Article.objects.published().filter(featured_image__gt="").first()

    page.goto(demo_site)
    page.locator(".summary__title a").first.click()
    page.wait_for_load_state("networkidle")
    page.goto(demo_site + article.get_absolute_url())
    page.wait_for_load_state("networkidle")
    page.goto(demo_site + "/recherche/?q=r%C3%A9seaux")
    page.goto(demo_site + "/confidentialite/")
    page.wait_for_load_state("networkidle")

    origin = urlsplit(demo_site).netloc
    foreign = sorted({request.url for request in requests if urlsplit(request.url).netloc != origin})
    assert foreign == [], foreign
    assert page.context.cookies() == []
    beacons = [request for request in requests if request.url.endswith("/stats/vue/")]
    assert len(beacons) == 2 and all(request.method == "POST" for request in beacons)
    assert not any("cookie" in request.headers for request in beacons)


def test_views_are_counted_without_a_cookie_and_not_when_the_reader_declines(demo_site, browser, settings):
    # One-second counting periods, so that the test's period closes soon.
    settings.AUDIENCE_BUCKET_SECONDS = 1
    article = Article.objects.published().first()
    url = demo_site + article.get_absolute_url()
    for headers in ({}, {"DNT": "1"}, {"Sec-GPC": "1"}):
        # Headless chromium says so in its user agent, which the robot list knows: a reader's instead.
        context = browser.new_context(extra_http_headers=headers, user_agent=READER_AGENT)
        page = context.new_page()
        with page.expect_request("**/stats/vue/") if not headers else _nothing():
            page.goto(url)
        page.wait_for_load_state("networkidle")
        assert context.cookies() == []
        context.close()

    # Counts wait in the cache until their period is closed: wait for it.
    time.sleep(2.5)
    counts_flush()
    assert DailyViews.objects.get(article=article).views == 1


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
