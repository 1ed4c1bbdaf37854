import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.flatpages.models import FlatPage
from django.urls import resolve, reverse
from django.utils import timezone

from blog.models import Article
from tests.factories import ArticleFactory, AuthorProfileFactory, CategoryFactory

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "http://blog.example.fr"


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    entries = {}
    for url in root.findall("sm:url", NS):
        lastmod = url.find("sm:lastmod", NS)
        entries[url.find("sm:loc", NS).text] = lastmod.text if lastmod is not None else None
    return entries


def set_dates(article, *, published, updated):
    Article.objects.filter(pk=article.pk).update(published_at=published, updated_at=updated)
    article.refresh_from_db()


@pytest.fixture
def blog(db, site):
    parent = CategoryFactory(slug="reseaux-sociaux")
    child = CategoryFactory(slug="twitter-et-x", parent=parent)
    empty = CategoryFactory(slug="vide")
    camille = AuthorProfileFactory(user__username="camille").user
    hidden_author = AuthorProfileFactory(user__username="discret").user
    page = FlatPage.objects.create(url="/a-propos/", title="À propos", content="<p>Qui sommes-nous</p>")
    page.sites.add(site)
    public = ArticleFactory(title="Public", category=child, author=camille, tags=["Twitter"])
    draft = ArticleFactory(
        title="Brouillon", category=empty, author=hidden_author, tags=["Secret"], draft=True
    )
    scheduled = ArticleFactory(
        title="Programmé", category=empty, author=hidden_author, tags=["Secret"], scheduled=True
    )
    return {"public": public, "draft": draft, "scheduled": scheduled}


def test_sitemap_lists_public_pages_with_absolute_urls(client, blog):
    entries = sitemap_entries(client)
    assert set(entries) == {
        f"{BASE}/",
        f"{BASE}/a-propos/",
        f"{BASE}/confidentialite/",  # the privacy page, created by migrate
        BASE + blog["public"].get_absolute_url(),
        f"{BASE}/categorie/reseaux-sociaux/",
        f"{BASE}/categorie/twitter-et-x/",
        f"{BASE}/mot-cle/twitter/",
        f"{BASE}/auteur/camille/",
    }


def test_drafts_scheduled_articles_and_what_only_they_use_are_absent(client, blog):
    text = client.get("/sitemap.xml").content.decode()
    for absent in [
        blog["draft"].get_absolute_url(),
        blog["scheduled"].get_absolute_url(),
        "/categorie/vide/",
        "/mot-cle/secret/",
        "/auteur/discret/",
    ]:
        assert absent not in text


def test_lastmod_is_the_last_change_readers_could_see(client, db, site):
    category = CategoryFactory(slug="strategie")
    edited = ArticleFactory(title="Corrigé", category=category, tags=["Veille"])
    set_dates(
        edited,
        published=timezone.now() - datetime.timedelta(days=30),
        updated=timezone.now() - datetime.timedelta(days=3),
    )
    # Written long before and scheduled: its page only exists since it went online.
    scheduled_long_ago = ArticleFactory(title="Programmé de longue date", tags=["Veille"])
    set_dates(
        scheduled_long_ago,
        published=timezone.now() - datetime.timedelta(days=10),
        updated=timezone.now() - datetime.timedelta(days=60),
    )

    entries = sitemap_entries(client)

    def day(delta):
        return timezone.localdate(timezone.now() - datetime.timedelta(days=delta)).isoformat()

    assert entries[BASE + edited.get_absolute_url()] == day(3)
    assert entries[BASE + scheduled_long_ago.get_absolute_url()] == day(10)
    assert entries[f"{BASE}/categorie/strategie/"] == day(3)
    assert entries[f"{BASE}/mot-cle/veille/"] == day(3)
    assert entries[f"{BASE}/"] == day(3)


def test_sitemap_is_shared_and_purged_with_the_site(client, blog):
    response = client.get("/sitemap.xml")
    assert "public" in response["Cache-Control"]
    assert "s-maxage=" in response["Cache-Control"]
    assert "site" in response["Surrogate-Key"].split()


def test_empty_blog_has_a_valid_sitemap(client, db, site):
    # The home page, and the privacy page that migrate creates.
    assert sitemap_entries(client) == {f"{BASE}/": None, f"{BASE}/confidentialite/": None}


def test_robots_txt_points_to_the_sitemap(client, site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {BASE}{reverse('sitemap')}" in lines
    assert "Disallow: /recherche/" in lines


def test_robots_txt_is_cached(client, site, django_assert_num_queries):
    client.get("/robots.txt")
    with django_assert_num_queries(0):
        assert client.get("/robots.txt").status_code == 200


def test_sitemap_and_robots_routes():
    assert reverse("sitemap") == "/sitemap.xml"
    assert reverse("robots_txt") == "/robots.txt"
    assert resolve("/sitemap.xml").url_name == "sitemap"
    assert resolve("/robots.txt").url_name == "robots_txt"


def test_static_pages_are_dated_by_their_latest_change_in_the_admin(client, blog, django_user_model):
    from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    page = FlatPage.objects.get(url="/a-propos/")
    editor = django_user_model.objects.create_user("editrice")
    page_type = ContentType.objects.get_for_model(FlatPage)
    added = timezone.make_aware(datetime.datetime(2026, 1, 5, 9, 0))
    changed = timezone.make_aware(datetime.datetime(2026, 3, 2, 16, 30))
    for flag, moment in [(ADDITION, added), (CHANGE, changed)]:
        entry = LogEntry.objects.create(
            user=editor,
            content_type=page_type,
            object_id=str(page.pk),
            object_repr=page.title,
            action_flag=flag,
        )
        LogEntry.objects.filter(pk=entry.pk).update(action_time=moment)

    assert sitemap_entries(client)[f"{BASE}/a-propos/"] == "2026-03-02"


def test_a_static_page_without_admin_history_has_no_date(client, blog):
    assert sitemap_entries(client)[f"{BASE}/a-propos/"] is None
