"""Every change shows on the pages it affects at the very next request, cache or not.

Changes run through ``committed()``: the cache is told in
``transaction.on_commit``, as in production, and the test transaction never
commits by itself.
"""

import datetime
from unittest import mock

import pytest
from django.contrib.sites.models import Site
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from blog import cache, services
from blog.models import Article
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def published(committed):
    with committed():
        return ArticleFactory(
            title="Le guide des hashtags",
            category=CategoryFactory(name="Réseaux", slug="reseaux"),
            tags=["Twitter"],
        )


def cached_get(client, url):
    """Request ``url`` twice and check that the second answer came from the cache."""
    client.get(url)
    response = client.get(url)
    assert response.get("X-Page-Cache") == "hit"
    return response


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_publishing_an_article_shows_it_on_the_cached_lists_and_the_sidebar(client, published, committed):
    cached_get(client, "/")
    cached_get(client, "/categorie/reseaux/")
    with committed():
        draft = ArticleFactory(title="Un brouillon prometteur", draft=True, category=published.category)
    assert "Un brouillon prometteur" not in page(client, "/")
    with committed():
        services.article_publish(article=draft)
    home = page(client, "/")
    assert '<h2 class="summary__title">' in home and "Un brouillon prometteur</a></h2>" in home
    assert "Un brouillon prometteur</a></li>" in home  # the sidebar's recent articles
    assert "Un brouillon prometteur" in page(client, "/categorie/reseaux/")
    assert "(2)" in home  # the category's count in the sidebar


def test_editing_an_article_shows_everywhere_it_appears(client, published, committed):
    for url in ["/", published.get_absolute_url(), "/categorie/reseaux/", "/mot-cle/twitter/"]:
        cached_get(client, url)
    with committed():
        published.title = "Le guide complet des hashtags"
        published.save()
    for url in ["/", published.get_absolute_url(), "/categorie/reseaux/", "/mot-cle/twitter/"]:
        assert "Le guide complet des hashtags" in page(client, url)


def test_unpublishing_an_article_removes_it_at_once(client, published, committed):
    other = ArticleFactory(
        title="Un autre billet", published_at=published.published_at - datetime.timedelta(days=1)
    )
    url = published.get_absolute_url()
    cached_get(client, url)
    cached_get(client, "/")
    cached_get(client, other.get_absolute_url())
    with committed():
        services.article_unpublish(article=published)
    assert client.get(url).status_code == 404
    assert "Le guide des hashtags" not in page(client, "/")
    # The neighbour's "next article" link no longer points to it.
    assert "Le guide des hashtags" not in page(client, other.get_absolute_url())


def test_a_scheduled_article_appears_when_its_time_comes(client, published, committed):
    moment = timezone.now() + datetime.timedelta(hours=2)
    with committed():
        ArticleFactory(title="Annonce programmée", published_at=moment)
    cached_get(client, "/")
    assert "Annonce programmée" not in page(client, "/")
    later = moment + datetime.timedelta(minutes=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("blog.cache.time.time", return_value=later.timestamp()),
    ):
        assert "Annonce programmée" in page(client, "/")


def test_the_comment_form_goes_when_the_discussion_closes_with_age(client, settings, committed):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    with committed():
        article = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=30, hours=-2))
    url = article.get_absolute_url()
    assert 'id="comment-form"' in cached_get(client, url).content.decode()
    later = timezone.now() + datetime.timedelta(hours=3)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("blog.cache.time.time", return_value=later.timestamp()),
    ):
        content = page(client, url)
    assert 'id="comment-form"' not in content
    assert "Les commentaires sont fermés sur cet article." in content


def test_a_new_public_comment_refreshes_its_article_and_the_lists_only(client, published, committed):
    other = ArticleFactory(title="Un autre billet")
    cached_get(client, published.get_absolute_url())
    cached_get(client, "/")
    cached_get(client, other.get_absolute_url())
    sidebar_before = cache.generations(cache.CONTENT)
    with committed():
        CommentFactory(article=published)
    assert client.get(published.get_absolute_url()).get("X-Page-Cache") is None
    assert client.get("/").get("X-Page-Cache") is None
    # Another article's page and everything built on the content stay cached.
    assert client.get(other.get_absolute_url()).get("X-Page-Cache") == "hit"
    assert cache.generations(cache.CONTENT) == sidebar_before


def test_approving_a_comment_refreshes_its_article(client, published, committed):
    with committed():
        comment = CommentFactory(article=published, is_public=False)
    cached_get(client, published.get_absolute_url())
    with committed():
        comment.is_public = True
        comment.save()
    assert client.get(published.get_absolute_url()).get("X-Page-Cache") is None


def test_a_change_rolled_back_leaves_the_cache_alone(client, published, committed):
    cached_get(client, "/")
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        published.title = "Jamais enregistré"
        published.save()
        raise RuntimeError
    assert client.get("/").get("X-Page-Cache") == "hit"


def test_renaming_a_category_shows_on_its_page_and_in_the_sidebar(client, published, committed):
    cached_get(client, "/")
    cached_get(client, "/categorie/reseaux/")
    with committed():
        published.category.name = "Réseaux sociaux"
        published.category.save()
    assert "Réseaux sociaux" in page(client, "/")
    assert "<h1>Réseaux sociaux</h1>" in page(client, "/categorie/reseaux/")


def test_keyword_changes_show_on_the_article_and_the_keyword_pages(client, published, committed):
    cached_get(client, published.get_absolute_url())
    cached_get(client, "/mot-cle/twitter/")
    with committed():
        published.tags.add("Instagram")
    assert "Instagram" in page(client, published.get_absolute_url())
    assert "Le guide des hashtags" in page(client, "/mot-cle/instagram/")
    with committed():
        tag = Tag.objects.get(slug="twitter")
        tag.name = "X (Twitter)"
        tag.save()
    assert "X (Twitter)" in page(client, published.get_absolute_url())
    with committed():
        published.tags.remove("Instagram")
    assert "Instagram" not in page(client, published.get_absolute_url())
    assert client.get("/mot-cle/instagram/").status_code == 404


def test_a_change_replaces_generations_without_emptying_the_cache(published, committed):
    cache.get_cache().set("unrelated", "kept")
    before = cache.generations(cache.CONTENT, cache.LISTS)
    with committed():
        Article.objects.get(pk=published.pk).save()
    after = cache.generations(cache.CONTENT, cache.LISTS)
    assert after[cache.CONTENT] != before[cache.CONTENT]
    assert after[cache.LISTS] == before[cache.LISTS]
    assert cache.get_cache().get("unrelated") == "kept"


def test_a_generation_lost_by_the_cache_gets_a_new_value(published):
    before = cache.generations(cache.LISTS)[cache.LISTS]
    cache.get_cache().clear()
    assert cache.generations(cache.LISTS)[cache.LISTS] != before


def test_without_the_page_cache_the_cached_parts_of_an_article_follow_changes(
    client, published, committed, page_cache_off
):
    url = published.get_absolute_url()
    page(client, url)
    with committed():
        published.title = "Le guide complet des hashtags"
        published.save()
        published.tags.add("Instagram")
    body = page(client, url)
    assert '<h1 class="article__title">Le guide complet des hashtags</h1>' in body
    assert "Instagram" in body
    assert "Le guide complet des hashtags</a></h2>" in page(client, "/")


def test_a_preview_always_shows_the_current_draft(staff_client, committed):
    with committed():
        draft = ArticleFactory(title="Premier jet", draft=True)
    assert "Premier jet" in page(staff_client, f"/apercu/{draft.pk}/")
    Article.objects.filter(pk=draft.pk).update(title="Second jet")  # no signal, no new generation
    assert "Second jet" in page(staff_client, f"/apercu/{draft.pk}/")


def test_renaming_an_author_without_a_profile_name_shows_on_their_cached_pages(client, committed):
    with committed():
        author = UserFactory(first_name="Anne", last_name="Martin")
        article = ArticleFactory(author=author)
    url = article.get_absolute_url()
    assert "Anne Martin" in cached_get(client, url).content.decode()
    author.last_name = "Martin-Leroy"
    with committed():
        author.save()
    assert "Anne Martin-Leroy" in page(client, url)


def test_an_authors_login_keeps_the_cached_pages(client, committed):
    with committed():
        article = ArticleFactory()
    before = cache.generations(cache.CONTENT)
    with committed():
        client.force_login(article.author)
    assert cache.generations(cache.CONTENT) == before


@pytest.mark.parametrize("page_cache", [True, False], ids=["page cache", "fragments only"])
def test_archives_follow_publishing_and_unpublishing(client, committed, settings, page_cache):
    settings.PAGE_CACHE_ENABLED = page_cache
    last_year = timezone.now().year - 1
    with committed():
        ArticleFactory(
            title="Le bilan de mars", published_at=timezone.now().replace(year=last_year, month=3, day=10)
        )
        draft = ArticleFactory(
            title="Le bilan de mai",
            published_at=timezone.now().replace(year=last_year, month=5, day=12),
            draft=True,
        )
    year = f"/{draft.published_at:%Y}/"
    may = f"/{draft.published_at:%Y/%m}/"
    for _ in range(2):
        assert f'href="{may}"' not in page(client, year)
        assert client.get(may).status_code == 404
    with committed():
        services.article_publish(article=draft)
    assert f'href="{may}"' in page(client, year)
    assert "Le bilan de mai" in page(client, may)
    with committed():
        services.article_unpublish(article=draft)
    assert f'href="{may}"' not in page(client, year)
    assert client.get(may).status_code == 404


@pytest.mark.parametrize("page_cache", [True, False], ids=["page cache", "fragments only"])
def test_feeds_follow_every_change_of_their_entries(client, published, committed, settings, page_cache):
    settings.PAGE_CACHE_ENABLED = page_cache
    feeds = ["/flux/rss/", "/flux/atom/", "/categorie/reseaux/flux/rss/", "/mot-cle/twitter/flux/atom/"]
    for feed in feeds:
        assert "Le guide des hashtags" in page(client, feed)
    with committed():
        draft = ArticleFactory(title="Un brouillon prometteur", draft=True, category=published.category)
    with committed():
        services.article_publish(article=draft)
    assert "Un brouillon prometteur" in page(client, "/flux/rss/")
    assert "Un brouillon prometteur" in page(client, "/categorie/reseaux/flux/rss/")
    published.title = "Le guide des hashtags, revu"
    with committed():
        published.save()
    for feed in feeds:
        assert "Le guide des hashtags, revu" in page(client, feed)
    category = published.category
    category.name = "Réseaux sociaux"
    with committed():
        category.save()
    assert "Réseaux sociaux" in page(client, "/flux/atom/")
    with committed():
        services.article_unpublish(article=published)
    for feed in feeds[:3]:
        assert "Le guide des hashtags" not in page(client, feed)


@pytest.mark.parametrize("page_cache", [True, False], ids=["page cache", "fragments only"])
def test_a_new_domain_shows_in_the_absolute_links_at_once(client, published, settings, page_cache):
    settings.PAGE_CACHE_ENABLED = page_cache
    site = Site.objects.get_current()
    addresses = ["/flux/rss/", "/flux/atom/", published.get_absolute_url()]
    for address in addresses:
        assert f"://{site.domain}/" in page(client, address)
    # As in the admin's Sites.
    site.domain = "blog.exemple.fr"
    site.save()
    for address in addresses:
        assert "://blog.exemple.fr/" in page(client, address)


def test_without_the_page_cache_the_lists_follow_changes(
    client, published, committed, page_cache_off, settings
):
    settings.BLOG_PAGINATE_BY = 1
    lists = ["/", "/categorie/reseaux/", "/mot-cle/twitter/", f"/auteur/{published.author.get_username()}/"]
    for url in lists:
        assert "Le guide des hashtags</a></h2>" in page(client, url)
    with committed():
        newer = ArticleFactory(
            title="Les tendances de la semaine",
            category=published.category,
            author=published.author,
            tags=["Twitter"],
        )
    for url in lists:
        assert "Les tendances de la semaine</a></h2>" in page(client, url)
        # The earlier article moved to the second page.
        assert "Le guide des hashtags</a></h2>" in page(client, f"{url}?page=2")
    with committed():
        CommentFactory.create_batch(2, article=newer)
    assert "2 commentaires" in page(client, "/")
    category = published.category
    category.name = "Réseaux sociaux"
    with committed():
        category.save()
    assert "<h1>Réseaux sociaux</h1>" in page(client, "/categorie/reseaux/")
    with committed():
        services.article_unpublish(article=newer)
    for url in lists:
        assert "Les tendances de la semaine" not in page(client, url)


def test_a_readers_address_stays_out_of_the_lists_shown_to_others(
    client, published, page_cache_off, settings
):
    settings.BLOG_PAGINATE_BY = 1
    ArticleFactory(title="Les tendances de la semaine")
    assert "theme=sombre" in page(client, "/?page=1&theme=sombre")
    assert "theme=sombre" not in page(client, "/?page=1")
    assert "theme=sombre" not in page(client, "/")


def test_an_address_with_no_article_leaves_no_lasting_record(client, settings, monkeypatch):
    """Any address shaped like an article's names a scope: its record expires like the pages."""
    shared = cache.get_cache()
    lifetimes = {}
    store = shared.set

    def spy(key, value, timeout=None, **kwargs):
        lifetimes[key] = timeout
        return store(key, value, timeout=timeout, **kwargs)

    monkeypatch.setattr(shared, "set", spy)
    assert client.get("/2026/11/23/aucun-article-ici/").status_code == 404
    assert lifetimes[cache._key("article:2026-11-23/aucun-article-ici")] == settings.PAGE_CACHE_TIMEOUT
    # The records every page shares stay until a change replaces them.
    assert lifetimes[cache._key(cache.CONTENT)] is None
