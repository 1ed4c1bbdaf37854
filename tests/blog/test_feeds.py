import datetime

import feedparser
import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorProfileFactory, CategoryFactory

FEED_ROUTES = [
    ("blog:article_feed_rss", {}, "rss20"),
    ("blog:article_feed_atom", {}, "atom10"),
    ("blog:category_feed_rss", {"slug": "reseaux-sociaux"}, "rss20"),
    ("blog:category_feed_atom", {"slug": "reseaux-sociaux"}, "atom10"),
    ("blog:tag_feed_rss", {"slug": "twitter"}, "rss20"),
    ("blog:tag_feed_atom", {"slug": "twitter"}, "atom10"),
    ("blog:author_feed_rss", {"username": "camille"}, "rss20"),
    ("blog:author_feed_atom", {"username": "camille"}, "atom10"),
]


@pytest.fixture
def blog(db, site):
    """A sub-category, published articles, a draft and a scheduled article sharing their keyword."""
    parent = CategoryFactory(name="Réseaux sociaux", slug="reseaux-sociaux")
    child = CategoryFactory(name="Twitter et X", slug="twitter-et-x", parent=parent)
    other = CategoryFactory(name="Podcasts", slug="podcasts")
    camille = AuthorProfileFactory(user__username="camille", display_name="Camille Martin").user
    articles = {
        "in_parent": ArticleFactory(
            title="Les communautés en ligne",
            category=parent,
            author=camille,
            tags=["Twitter"],
            excerpt="Animer une communauté & la faire grandir.",
        ),
        "in_child": ArticleFactory(title="Threads ou X ?", category=child, tags=["Twitter", "Threads"]),
        "elsewhere": ArticleFactory(title="Lancer un podcast", category=other, tags=["Audio"]),
        "draft": ArticleFactory(
            title="Brouillon secret", category=parent, author=camille, tags=["Twitter"], draft=True
        ),
        "scheduled": ArticleFactory(
            title="Article programmé", category=parent, author=camille, tags=["Twitter"], scheduled=True
        ),
    }
    return articles


def parse(response):
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def titles(feed):
    return {entry.title for entry in feed.entries}


@pytest.mark.parametrize(("name", "kwargs", "version"), FEED_ROUTES)
def test_every_feed_is_valid_for_feed_readers(client, blog, name, kwargs, version):
    url = reverse(name, kwargs=kwargs)
    assert resolve(url).url_name == name.split(":")[1]
    response = client.get(url)
    feed = parse(response)
    assert feed.version == version
    assert feed.entries
    for entry in feed.entries:
        assert entry.link.startswith("http://blog.example.fr/")
        assert entry.published_parsed
        assert entry.author
        if version == "atom10":
            assert "updated" in entry
    if version == "atom10":
        assert response["Content-Type"].startswith("application/atom+xml")
    else:
        assert response["Content-Type"].startswith("application/rss+xml")


@pytest.mark.parametrize("name", ["blog:article_feed_rss", "blog:article_feed_atom"])
def test_whole_blog_feed_lists_published_articles_only_newest_first(client, blog, name):
    blog["elsewhere"].published_at = timezone.now() - datetime.timedelta(hours=1)
    blog["elsewhere"].save()
    feed = parse(client.get(reverse(name)))
    assert titles(feed) == {"Les communautés en ligne", "Threads ou X ?", "Lancer un podcast"}
    assert feed.entries[0].title == "Lancer un podcast"
    assert feed.feed.title == "Digital et médias sociaux"
    assert feed.feed.link == "http://blog.example.fr/"


def test_atom_entries_have_author_updated_and_categories(client, blog):
    feed = parse(client.get(reverse("blog:article_feed_atom")))
    entry = next(e for e in feed.entries if e.title == "Les communautés en ligne")
    assert entry.author == "Camille Martin"
    assert entry.id == "http://blog.example.fr" + blog["in_parent"].get_absolute_url()
    assert {tag.term for tag in entry.tags} == {"Réseaux sociaux", "Twitter"}
    assert feed.feed.updated_parsed


def test_category_feed_includes_sub_categories(client, blog):
    feed = parse(client.get(reverse("blog:category_feed_rss", kwargs={"slug": "reseaux-sociaux"})))
    assert titles(feed) == {"Les communautés en ligne", "Threads ou X ?"}
    assert feed.feed.title == "Digital et médias sociaux – Réseaux sociaux"
    assert feed.feed.link == "http://blog.example.fr/categorie/reseaux-sociaux/"

    child = parse(client.get(reverse("blog:category_feed_atom", kwargs={"slug": "twitter-et-x"})))
    assert titles(child) == {"Threads ou X ?"}


def test_tag_and_author_feeds(client, blog):
    tagged = parse(client.get(reverse("blog:tag_feed_atom", kwargs={"slug": "twitter"})))
    assert titles(tagged) == {"Les communautés en ligne", "Threads ou X ?"}
    by_author = parse(client.get(reverse("blog:author_feed_rss", kwargs={"username": "camille"})))
    assert titles(by_author) == {"Les communautés en ligne"}
    assert by_author.feed.title == "Digital et médias sociaux – Camille Martin"


@pytest.mark.parametrize(
    "url",
    [
        "/categorie/inconnue/flux/rss/",
        "/mot-cle/inconnu/flux/atom/",
        "/auteur/personne/flux/rss/",
    ],
)
def test_feeds_of_unknown_subjects_are_404(client, blog, url):
    assert client.get(url).status_code == 404


def test_keyword_and_author_with_drafts_only_have_no_feed(client, db, site):
    writer = AuthorProfileFactory(user__username="discret").user
    ArticleFactory(author=writer, tags=["Projet secret"], draft=True)
    ArticleFactory(author=writer, tags=["Projet secret"], scheduled=True)
    assert client.get("/mot-cle/projet-secret/flux/rss/").status_code == 404
    assert client.get("/auteur/discret/flux/atom/").status_code == 404


def test_feeds_carry_the_excerpt_by_default(client, blog, settings):
    settings.BLOG_FEED_FULL_CONTENT = False
    for name in ["blog:article_feed_rss", "blog:article_feed_atom"]:
        response = client.get(reverse(name))
        entry = next(e for e in parse(response).entries if e.title == "Les communautés en ligne")
        assert entry.summary == "Animer une communauté &amp; la faire grandir."
        assert "content" not in entry
        assert b"Le corps de l" not in response.content


@pytest.mark.parametrize("name", ["blog:article_feed_rss", "blog:article_feed_atom"])
def test_feeds_carry_the_whole_article_when_configured(client, blog, settings, name):
    settings.BLOG_FEED_FULL_CONTENT = True
    entry = next(e for e in parse(client.get(reverse(name))).entries if e.title == "Les communautés en ligne")
    assert "Animer une communauté" in entry.summary
    assert 'Le corps de l\'article, avec <a href="https://example.org/"' in entry.content[0].value


def test_article_without_excerpt_is_described_by_its_opening_words(client, db, site):
    ArticleFactory(title="Sans chapeau", excerpt="", body="<p>Premier <strong>paragraphe</strong> ici.</p>")
    entry = parse(client.get(reverse("blog:article_feed_rss"))).entries[0]
    assert entry.summary == "Premier paragraphe ici."


def test_scheduled_article_is_not_dated_before_its_publication(client, db, site):
    article = ArticleFactory(title="Parti plus tard")
    going_live = timezone.now() - datetime.timedelta(minutes=5)
    # Written two days ago, scheduled, online five minutes ago.
    type(article).objects.filter(pk=article.pk).update(
        published_at=going_live, updated_at=going_live - datetime.timedelta(days=2)
    )
    entry = parse(client.get(reverse("blog:article_feed_atom"))).entries[0]
    assert entry.updated_parsed == entry.published_parsed


def test_feed_length_follows_the_setting(client, db, site, settings):
    settings.BLOG_FEED_ITEMS = 3
    ArticleFactory.create_batch(5)
    assert len(parse(client.get(reverse("blog:article_feed_rss"))).entries) == 3


@pytest.mark.parametrize("count", [2, 25])
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("blog:article_feed_atom", {}),
        ("blog:category_feed_rss", {"slug": "reseaux-sociaux"}),
        ("blog:tag_feed_atom", {"slug": "twitter"}),
        ("blog:author_feed_rss", {"username": "camille"}),
    ],
)
def test_feed_query_budget(client, site, django_assert_max_num_queries, count, name, kwargs):
    """A feed costs the same few queries whatever its number of entries (the caches in front keep it)."""
    category = CategoryFactory(slug="reseaux-sociaux")
    author = AuthorProfileFactory(user__username="camille").user
    ArticleFactory.create_batch(count, category=category, author=author, tags=["Twitter", "Réseaux"])
    with django_assert_max_num_queries(6):
        first = client.get(reverse(name, kwargs=kwargs))
    with django_assert_max_num_queries(6):
        later = client.get(reverse(name, kwargs=kwargs))
    assert len(parse(first).entries) == min(count, 20)
    assert later.content == first.content


def test_pages_announce_their_feeds(client, blog):
    home = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Digital et médias sociaux (RSS)" '
        'href="/flux/rss/">' in home
    )
    assert 'type="application/atom+xml" title="Digital et médias sociaux (Atom)" href="/flux/atom/"' in home

    category_page = client.get("/categorie/reseaux-sociaux/").content.decode()
    assert 'href="/categorie/reseaux-sociaux/flux/rss/"' in category_page
    assert 'href="/categorie/reseaux-sociaux/flux/atom/"' in category_page
    assert 'href="/flux/rss/"' in category_page

    assert 'href="/mot-cle/twitter/flux/atom/"' in client.get("/mot-cle/twitter/").content.decode()
    assert 'href="/auteur/camille/flux/rss/"' in client.get("/auteur/camille/").content.decode()
