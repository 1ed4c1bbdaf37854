"""The beacon endpoint: what it counts, what it refuses, and that it never fails."""

from unittest import mock

import pytest
from django.urls import reverse

from audience.models import DailyReferrer, DailyViews
from audience.services import counts_flush

pytestmark = pytest.mark.django_db

URL = "/stats/vue/"


def post(client, body, **headers):
    return client.post(URL, body, content_type="application/x-www-form-urlencoded", headers=headers)


def views_of(article):
    return sum(DailyViews.objects.filter(article=article).values_list("views", flat=True))


def test_the_route_reverses_and_resolves():
    assert reverse("audience:beacon") == URL


def test_a_view_is_counted_once_flushed(beacon_client, article, later):
    response = post(beacon_client, f"article={article.pk}")
    assert response.status_code == 204
    assert views_of(article) == 0  # buffered, not yet written
    counts_flush(now=later)
    assert views_of(article) == 1


def test_the_answer_sets_no_cookie_and_is_never_cached(beacon_client, article):
    response = post(beacon_client, f"article={article.pk}")
    assert response.cookies == {}
    assert "Set-Cookie" not in response
    assert "no-store" in response["Cache-Control"]


def test_the_beacon_needs_no_csrf_token(beacon_client, article, later):
    response = post(beacon_client, f"article={article.pk}&ref=www.qwant.com")
    assert response.status_code == 204
    counts_flush(now=later)
    assert views_of(article) == 1


def test_the_referrer_is_kept_as_its_domain_only(beacon_client, article, later):
    post(beacon_client, f"article={article.pk}&ref=WWW.Example.ORG")
    post(beacon_client, f"article={article.pk}&ref=example.org")
    post(beacon_client, f"article={article.pk}&ref=https://evil.example/path?q=secret")
    counts_flush(now=later)
    assert list(DailyReferrer.objects.values_list("domain", "views")) == [("example.org", 2)]
    assert views_of(article) == 3


@pytest.mark.parametrize(
    "ref", ["testserver", "www.testserver", "", "localhost", "not a domain", "a" * 300 + ".fr"]
)
def test_no_referrer_is_kept_for_our_own_site_or_junk(beacon_client, article, later, ref):
    post(beacon_client, f"article={article.pk}&ref={ref}")
    counts_flush(now=later)
    assert not DailyReferrer.objects.exists()
    assert views_of(article) == 1


@pytest.mark.parametrize("headers", [{"DNT": "1"}, {"Sec-GPC": "1"}])
def test_readers_who_opt_out_are_not_counted(beacon_client, article, later, headers):
    response = post(beacon_client, f"article={article.pk}", **headers)
    assert response.status_code == 204
    counts_flush(now=later)
    assert views_of(article) == 0


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "",
    ],
)
def test_robots_are_not_counted(client, article, later, user_agent):
    response = post(client, f"article={article.pk}", **{"User-Agent": user_agent})
    assert response.status_code == 204
    counts_flush(now=later)
    assert views_of(article) == 0


def test_only_post_is_accepted(beacon_client, article):
    assert beacon_client.get(URL, {"article": article.pk}).status_code == 405


def test_a_large_body_is_refused(beacon_client, article, later):
    response = post(beacon_client, f"article={article.pk}&pad=" + "x" * 2000)
    assert response.status_code == 413
    counts_flush(now=later)
    assert views_of(article) == 0


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"article=",
        b"article=-1",
        b"article=0",
        b"article=99999999999999",
        b"article=1e3",
        b"article=%D9%A3",  # an Arabic-Indic digit: isdigit() but not ours
        b"article=12%00",
        b"\xff\xfe\x00garbage",
        b"article=1&article=2&ref=%ff%fe",
        b"ref=" + b"%" * 400,
    ],
)
def test_hostile_bodies_get_204_and_count_nothing(beacon_client, body, later):
    response = beacon_client.post(URL, body, content_type="text/plain")
    assert response.status_code == 204
    counts_flush(now=later)
    assert not DailyViews.objects.exists()


def test_an_unknown_article_is_dropped_at_the_flush(beacon_client, later):
    post(beacon_client, "article=424242")
    result = counts_flush(now=later)
    assert result.dropped == 1
    assert not DailyViews.objects.exists()


def test_a_burst_from_one_client_is_limited(beacon_client, article, later, settings):
    settings.AUDIENCE_RATE_LIMIT = 5
    for _ in range(8):
        assert post(beacon_client, f"article={article.pk}").status_code == 204
    counts_flush(now=later)
    assert views_of(article) == 5


def test_a_cache_that_does_not_answer_gives_204(beacon_client, article):
    with mock.patch("django.core.cache.cache.add", side_effect=ConnectionError("down")):
        response = post(beacon_client, f"article={article.pk}")
    assert response.status_code == 204


def test_switched_off_nothing_is_counted(beacon_client, article, later, settings):
    settings.AUDIENCE_ENABLED = False
    post(beacon_client, f"article={article.pk}")
    counts_flush(now=later)
    assert views_of(article) == 0
