"""What every response says to the caches between the site and its readers."""

import datetime

import pytest
from django.utils import timezone

from blog.models import Article
from tests.factories import ArticleFactory, CommentFactory, StaffFactory, UserFactory


def keys(response):
    return response["Surrogate-Key"].split()


def cache_control(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.fixture
def articles(db):
    now = timezone.now()
    return [
        ArticleFactory(title=f"Billet {n}", published_at=now - datetime.timedelta(hours=n + 1))
        for n in range(3)
    ]


@pytest.mark.parametrize("path", ["/", "/flux/rss/", "/flux/atom/", "/sitemap.xml", "/robots.txt"])
def test_public_pages_say_every_cache_may_keep_them(client, articles, settings, path):
    response = client.get(path)
    assert response.status_code == 200
    assert cache_control(response) == {"public", "max-age=0", f"s-maxage={settings.CACHE_SHARED_MAX_AGE}"}
    assert "site" in keys(response)
    assert response["xkey"] == response["Surrogate-Key"]
    assert response["Cache-Tag"] == ",".join(keys(response))
    assert response.has_header("ETag")
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()


def test_a_list_names_the_articles_it_shows(client, articles):
    response = client.get("/")
    assert set(keys(response)) == {"site", *(f"article-{article.pk}" for article in articles)}


def test_an_article_page_names_its_article_and_sets_no_cookie(client, articles):
    article = articles[0]
    CommentFactory(article=article)
    response = client.get(article.get_absolute_url())
    assert keys(response) == ["site", f"article-{article.pk}"]
    assert "public" in cache_control(response)
    assert not response.cookies
    # The form of the shared page carries no one's token nor signed timestamp.
    content = response.content.decode()
    assert "csrfmiddlewaretoken" not in content
    assert 'name="timestamp" value=""' in content


def test_a_static_page_is_shared(client, db):
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site

    page = FlatPage.objects.create(url="/a-propos/", title="À propos", content="<p>Nous</p>")
    page.sites.add(Site.objects.get_current())
    response = client.get("/a-propos/")
    assert response.status_code == 200
    assert "public" in cache_control(response)
    assert client.get("/nulle-part/").status_code == 404


def test_signed_in_readers_get_pages_no_cache_keeps(client, articles):
    client.force_login(UserFactory())
    response = client.get(articles[0].get_absolute_url())
    assert response.status_code == 200
    assert cache_control(response) == {"private", "no-store"}
    assert not response.has_header("Surrogate-Key")
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_a_reader_with_pending_messages_gets_a_private_page(client, articles):
    client.cookies["messages"] = "anything"
    response = client.get("/")
    assert cache_control(response) == {"private", "no-store"}


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/commentaires/post/"])
def test_the_admin_and_the_comment_endpoints_are_never_shared(client, db, path):
    response = client.get(path)
    assert "public" not in response.get("Cache-Control", "")
    assert "no-store" in response["Cache-Control"] or response.status_code >= 300


def test_a_post_is_never_shared(client, articles):
    response = client.post("/recherche/", {"q": "billet"})
    assert "public" not in response["Cache-Control"]


def test_a_preview_is_never_shared(client, db):
    staff = StaffFactory(is_superuser=True)
    draft = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(staff)
    response = client.get(f"/apercu/{draft.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_pages_expire_when_the_next_scheduled_article_goes_online(client, articles, settings):
    ArticleFactory(title="Bientôt", published_at=timezone.now() + datetime.timedelta(minutes=5))
    response = client.get("/")
    max_age = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 250 <= max_age <= 300
    assert max_age < settings.CACHE_SHARED_MAX_AGE


def test_an_article_page_expires_when_its_discussion_closes(client, db, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 10
    closing_soon = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=10, minutes=-2))
    response = client.get(closing_soon.get_absolute_url())
    max_age = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 60 <= max_age <= 120


def test_tracking_parameters_never_reach_the_page(client, articles):
    articles[0].title = "Billet"
    response = client.get("/?utm_source=lettre&fbclid=abc&page=1")
    assert response.status_code == 200
    assert response.wsgi_request.GET.urlencode() == "page=1"
    assert "utm_source" not in response.content.decode()
