"""Django's own page cache, for anonymous readers when no HTTP cache is in front."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from blog.models import Article
from tests.factories import ArticleFactory, CommentFactory, UserFactory


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the purges) as the block ends, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def two_articles(db, committed):
    with committed():
        now = timezone.now()
        return (
            ArticleFactory(title="Premier billet", published_at=now - datetime.timedelta(hours=2)),
            ArticleFactory(title="Second billet", published_at=now - datetime.timedelta(hours=1)),
        )


def cached_get(client, url):
    """The page, after the views that fill the cache (a key's first version is read on the first one)."""
    client.get(url)
    client.get(url)
    return client.get(url)


def test_anonymous_readers_share_the_cached_page(client, two_articles, django_assert_num_queries):
    url = two_articles[0].get_absolute_url()
    cached_get(client, url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert "Premier billet" in response.content.decode()


def test_a_comment_refreshes_its_article_and_leaves_the_other_pages_cached(client, two_articles, committed):
    first, second = two_articles
    for article in two_articles:
        cached_get(client, article.get_absolute_url())
    with committed():
        CommentFactory(article=first, comment="Un avis tout frais")
    response = client.get(first.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "Un avis tout frais" in response.content.decode()
    assert client.get(second.get_absolute_url())["X-Page-Cache"] == "hit"


def test_editing_an_article_shows_everywhere_at_once(client, two_articles, committed):
    first, second = two_articles
    for url in ("/", first.get_absolute_url(), second.get_absolute_url()):
        cached_get(client, url)
    with committed():
        first.title = "Titre corrigé"
        first.save()
    for url in ("/", first.get_absolute_url(), second.get_absolute_url()):
        assert "Titre corrigé" in client.get(url).content.decode(), url


def test_unpublishing_removes_the_article_at_once(client, two_articles, committed):
    first, _second = two_articles
    cached_get(client, "/")
    with committed():
        first.status = Article.Status.DRAFT
        first.save()
    assert "Premier billet" not in client.get("/").content.decode()
    assert client.get(first.get_absolute_url()).status_code == 404


def test_a_scheduled_article_appears_when_its_time_comes(client, two_articles, committed, settings):
    with committed():
        ArticleFactory(title="Billet programmé", published_at=timezone.now() + datetime.timedelta(seconds=30))
    response = cached_get(client, "/")
    assert "Billet programmé" not in response.content.decode()
    s_maxage = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert s_maxage <= 30


def test_signed_in_readers_never_get_nor_fill_the_cache(client, two_articles):
    url = two_articles[0].get_absolute_url()
    client.force_login(UserFactory())
    for _ in range(3):
        response = client.get(url)
        assert "X-Page-Cache" not in response
    client.logout()
    assert "X-Page-Cache" not in client.get(url)


def test_a_reader_with_pending_messages_gets_a_fresh_page(client, two_articles):
    cached_get(client, "/")
    client.cookies["messages"] = "x"
    assert "X-Page-Cache" not in client.get("/")


def test_a_shared_links_tracking_parameters_get_the_cached_page(client, two_articles):
    url = two_articles[0].get_absolute_url()
    cached_get(client, url)
    assert client.get(f"{url}?utm_source=lettre&fbclid=abc")["X-Page-Cache"] == "hit"


def test_an_unchanged_page_is_answered_304(client, two_articles):
    response = cached_get(client, "/")
    again = client.get("/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_missing_page_is_not_cached(client, db):
    for _ in range(3):
        response = client.get("/2020/01/01/absent/")
        assert response.status_code == 404
        assert "X-Page-Cache" not in response


def test_a_cached_page_keeps_the_security_headers(client, two_articles):
    response = cached_get(client, "/")
    assert response["X-Page-Cache"] == "hit"
    assert "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_restore_leaves_nothing_of_the_former_site_in_the_cache(client, two_articles, committed, tmp_path):
    """Restore loads with raw saves: the pages and fragments of the former site must go all the same."""
    archive = tmp_path / "site.tar.gz"
    first, second = two_articles
    with committed():
        second.delete()
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    with committed():
        ArticleFactory(title="Billet perdu au retour")
    home = cached_get(client, "/").content.decode()
    assert "Billet perdu au retour" in home
    with committed():
        call_command("restore", str(archive), "--force", stdout=io.StringIO())
    home = client.get("/").content.decode()
    assert "Billet perdu au retour" not in home
    assert "Premier billet" in home


def test_importing_a_wordpress_file_refreshes_the_cached_pages(client, two_articles, committed, tmp_path):
    from tests.wordpress.wxr import author, item, wxr

    cached_get(client, "/")
    source = tmp_path / "export.xml"
    source.write_text(wxr(author("marie"), item(1, "Billet importé")), encoding="utf-8")
    with committed():
        call_command("import_wordpress", str(source), stdout=io.StringIO())
    assert "Billet importé" in client.get("/").content.decode()
