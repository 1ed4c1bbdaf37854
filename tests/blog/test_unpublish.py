"""An article with an end of publication leaves every public place by itself at that moment."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from blog import selectors
from blog.models import Article
from blog.related import related_articles
from caching.headers import shared_max_age
from newsletter import tasks
from newsletter.models import ArticleSend, Subscriber
from tests.factories import ArticleFactory, AuthorProfileFactory, CategoryFactory

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def blog(db, site):
    """An article whose publication ended an hour ago, and one still online until tomorrow,
    sharing a category, keyword, author and day."""
    category = CategoryFactory(name="Réseaux", slug="reseaux")
    author = AuthorProfileFactory(user__username="camille").user
    now = timezone.now()
    published = now - datetime.timedelta(hours=5)
    common = {"category": category, "author": author, "published_at": published, "tags": ["Twitter"]}
    ended = ArticleFactory(
        title="Offre périmée",
        slug="offre-perimee",
        unpublish_at=now - HOUR,
        body="<p>Zanzibar.</p>",
        **common,
    )
    lasting = ArticleFactory(
        title="Offre en cours",
        slug="offre-en-cours",
        unpublish_at=now + 24 * HOUR,
        body="<p>Zanzibar.</p>",
        **common,
    )
    return {"ended": ended, "lasting": lasting, "day": timezone.localdate(published)}


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_queryset_and_the_article_agree(blog):
    assert list(Article.objects.published()) == [blog["lasting"]]
    assert not blog["ended"].is_public and blog["ended"].is_expired
    assert blog["lasting"].is_public and not blog["lasting"].is_expired


def test_its_page_answers_404_and_the_other_stays(client, blog):
    assert client.get(blog["ended"].get_absolute_url()).status_code == 404
    assert "Offre en cours" in page(client, blog["lasting"].get_absolute_url())


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/categorie/reseaux/",
        "/mot-cle/twitter/",
        "/auteur/camille/",
        "archive_year",
        "archive_month",
        "archive_day",
    ],
)
def test_it_leaves_every_list(client, blog, url):
    day = blog["day"]
    archives = {
        "archive_year": {"year": day.year},
        "archive_month": {"year": day.year, "month": day.month},
        "archive_day": {"year": day.year, "month": day.month, "day": day.day},
    }
    if url in archives:
        url = reverse(f"blog:{url}", kwargs=archives[url])
    html = page(client, url)
    assert "Offre en cours" in html
    assert "Offre périmée" not in html


@pytest.mark.parametrize(
    "url", ["/flux/rss/", "/flux/atom/", "/categorie/reseaux/flux/atom/", "/mot-cle/twitter/flux/rss/"]
)
def test_it_leaves_the_feeds(client, blog, url):
    html = page(client, url)
    assert "Offre en cours" in html
    assert "Offre périmée" not in html


def test_it_leaves_the_sitemap(client, blog):
    xml = page(client, "/sitemap.xml")
    assert blog["lasting"].get_absolute_url() in xml
    assert blog["ended"].get_absolute_url() not in xml


def test_it_leaves_the_search_results(client, blog):
    html = page(client, "/recherche/?q=zanzibar")
    assert "Offre en cours" in html
    assert "Offre périmée" not in html


def test_it_leaves_the_related_articles(blog):
    third = ArticleFactory(category=blog["lasting"].category, tags=["Twitter"])
    assert related_articles(third) == [blog["lasting"]]


def test_the_newsletter_does_not_send_it(blog, settings):
    settings.COMMENTS_LINK_SCHEME = "https"
    Subscriber.objects.create(email="tout@example.org", status=Subscriber.Status.ACTIVE, all_categories=True)
    tasks.dispatch_new_articles.call()
    assert list(ArticleSend.objects.values_list("article_id", flat=True)) == [blog["lasting"].pk]


def test_it_goes_when_its_moment_comes(client, blog):
    """The same article, before and after its end date: no save in between."""
    url = blog["lasting"].get_absolute_url()
    assert "Offre en cours" in page(client, "/")
    later = timezone.now() + 25 * HOUR
    cache.clear()
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get(url).status_code == 404
        assert "Offre en cours" not in page(client, "/")


def test_a_page_is_kept_no_longer_than_the_next_end_date(client, db, site, settings):
    settings.CACHE_SHARED_MAX_AGE = 3600
    ArticleFactory(title="Éphémère", unpublish_at=timezone.now() + datetime.timedelta(seconds=90))
    assert 0 < selectors.page_lifetime() <= 90
    response = client.get("/")
    assert "Éphémère" in response.content.decode()
    assert 0 < shared_max_age(response) <= 90
    # The feeds and every other page share the bound.
    assert 0 < shared_max_age(client.get("/flux/rss/")) <= 90


def test_an_end_date_already_past_or_of_a_draft_does_not_shorten_pages(db, settings):
    settings.CACHE_SHARED_MAX_AGE = 3600
    ArticleFactory(unpublish_at=timezone.now() - HOUR)
    ArticleFactory(draft=True, unpublish_at=timezone.now() + datetime.timedelta(seconds=30))
    assert selectors.page_lifetime() == 3600


def test_the_nearest_of_publication_and_end_wins(db, settings, django_capture_on_commit_callbacks):
    settings.CACHE_SHARED_MAX_AGE = 3600
    now = timezone.now()
    ArticleFactory(published_at=now + datetime.timedelta(seconds=600))
    ArticleFactory(unpublish_at=now + datetime.timedelta(seconds=1200))
    assert 590 <= selectors.page_lifetime() <= 600
    with django_capture_on_commit_callbacks(execute=True):  # the save gives the site a new version
        ArticleFactory(unpublish_at=now + datetime.timedelta(seconds=120))
    assert 110 <= selectors.page_lifetime() <= 120


def test_the_preview_says_the_publication_ended(staff_client, blog):
    html = page(staff_client, reverse("blog:article_preview", kwargs={"pk": blog["ended"].pk}))
    # In French once the catalogue is compiled with the new message.
    assert "publication ended on" in html or "publication de cet article a pris fin" in html
