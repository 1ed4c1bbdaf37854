import datetime
import re
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from taggit.models import Tag

from blog.models import Article, AuthorProfile, Category, FurtherReading
from demo.articles import CONTENT, demo_create
from tests.factories import ArticleFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def seed(*args, verbosity=1):
    out = StringIO()
    with translation.override("en"):
        call_command("seed_demo", *args, verbosity=verbosity, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts():
    return {
        "users": get_user_model().objects.count(),
        "profiles": AuthorProfile.objects.count(),
        "categories": Category.objects.count(),
        "tags": Tag.objects.count(),
        "articles": Article.objects.count(),
        "further_reading": FurtherReading.objects.count(),
        "pages": FlatPage.objects.count(),
    }


def test_creates_authors_without_usable_password():
    seed()
    authors = get_user_model().objects.filter(profile__isnull=False)
    assert authors.count() == len(CONTENT["authors"]) >= 3
    for author in authors:
        assert not author.has_usable_password()
        assert author.profile.display_name and author.profile.bio and author.profile.website


def test_creates_a_category_tree_and_keywords():
    seed()
    assert Category.objects.filter(parent__isnull=True).count() >= 3
    linkedin = Category.objects.get(slug="linkedin")
    assert linkedin.parent.name == "Réseaux sociaux"
    assert Category.objects.get(slug="marque-employeur").parent.name == "Stratégie digitale"
    assert Tag.objects.count() == len(CONTENT["tags"]) >= 20


def test_articles_are_complete_and_spread_over_months():
    seed()
    articles = Article.objects.all()
    assert articles.count() == len(CONTENT["articles"]) >= 25
    for article in articles:
        assert article.category_id and article.author.profile
        assert 2 <= article.tags.count() <= 5, article.slug
        assert article.excerpt
        assert "<h2>" in article.body and "<li>" in article.body, article.slug
    assert sum("<blockquote>" in article.body for article in articles) >= 5
    assert sum('href="https://' in article.body for article in articles) >= 5
    assert Article.objects.filter(further_reading__isnull=False).distinct().count() >= 15
    published = Article.objects.published()
    oldest = published.order_by("published_at").first().published_at
    newest = published.first().published_at
    assert newest > timezone.now() - datetime.timedelta(days=3)
    assert newest - oldest > datetime.timedelta(days=90)


def test_only_a_few_articles_are_drafts_scheduled_or_featured():
    seed()
    assert 1 <= Article.objects.exclude(status=Article.Status.PUBLISHED).count() <= 2
    assert Article.objects.scheduled().count() == 1
    assert 1 <= Article.objects.published().filter(featured=True).count() <= 2
    assert Article.objects.published().count() >= 25


def test_home_page_never_shows_drafts_or_scheduled_articles(client):
    seed()
    hidden = Article.objects.exclude(pk__in=Article.objects.published())
    assert hidden.count() == 3
    pages = []
    for number in range(1, 5):
        response = client.get("/", {"page": number})
        if response.status_code == 404:
            break
        pages.append(response.content.decode())
    html = "".join(pages)
    assert len(pages) >= 3
    assert html.count('<article class="summary') == Article.objects.published().count()
    for article in hidden:
        # Titles are HTML-escaped on the page (apostrophes become &#x27;).
        assert article.slug not in html
        assert client.get(article.get_absolute_url()).status_code == 404


def test_featured_articles_come_first_on_the_home_page(client):
    seed()
    html = client.get("/").content.decode()
    featured = Article.objects.published().filter(featured=True)
    first_summary = html.index('<article class="summary')
    assert html.index('<article class="summary summary--featured') == first_summary
    for article in featured:
        assert article.get_absolute_url() in html


def test_pages_are_attached_to_the_current_site_and_served(client):
    seed()
    site = Site.objects.get_current()
    for url, title in [("/a-propos/", "À propos"), ("/mentions-legales/", "Mentions légales")]:
        page = FlatPage.objects.get(url=url)
        assert site in page.sites.all()
        response = client.get(url)
        assert response.status_code == 200
        assert title in response.content.decode()


def test_articles_are_in_the_order_of_the_demo_content_whatever_the_day():
    now = timezone.make_aware(datetime.datetime(2026, 3, 1, 6, 0))
    demo_create(now=now)
    dated = [data["slug"] for data in CONTENT["articles"] if data["state"] in ("published", "scheduled")]
    ordered = list(
        Article.objects.filter(published_at__isnull=False)
        .order_by("-published_at")
        .values_list("slug", flat=True)
    )
    assert ordered == dated
    assert Article.objects.get(slug=ordered[1]).publication_date == datetime.date(2026, 2, 28)


def test_running_twice_duplicates_nothing():
    seed()
    first = counts()
    output = seed()
    assert counts() == first
    assert "Nothing to add" in output


def test_running_again_keeps_what_an_editor_changed():
    seed()
    article = Article.objects.get(slug="ligne-editoriale-en-une-page")
    article.title = "Une ligne éditoriale revue par la rédaction"
    article.featured = True
    article.save()
    Article.objects.filter(slug="newsletter-le-canal-que-vous-possedez").delete()

    output = seed()

    assert "(authors: 0, categories: 0, keywords: 0, articles: 1, pages: 0, comments: 6)" in output
    assert "79 items were already there and were left unchanged." in output

    article.refresh_from_db()
    assert article.title == "Une ligne éditoriale revue par la rédaction"
    assert article.featured
    assert Article.objects.filter(slug="newsletter-le-canal-que-vous-possedez").count() == 1


def test_an_existing_keyword_is_reused_whatever_its_case():
    Tag.objects.create(name="linkedin")
    seed()
    assert Tag.objects.filter(name__iexact="linkedin").count() == 1


def test_clear_removes_all_demo_content():
    before = counts()
    seed()
    output = seed("--clear")
    assert counts() == before
    assert (
        "Demo content removed (authors: 4, categories: 14, keywords: 29, articles: 30, pages: 2, "
        "comments: 180)." in output
    )


def test_clear_keeps_content_that_is_not_demo_content():
    seed()
    category = Category.objects.get(slug="linkedin")
    own = ArticleFactory(title="Notre propre article", category=category, tags=["LinkedIn", "maison"])
    own_category = CategoryFactory(name="Podcasts maison")

    seed("--clear")

    assert list(Article.objects.all()) == [own]
    assert sorted(own.tags.names()) == ["LinkedIn", "maison"]
    # The category still has an article, and its parent still has a child.
    assert set(Category.objects.values_list("slug", flat=True)) == {
        "linkedin",
        "reseaux-sociaux",
        own_category.slug,
    }
    assert not get_user_model().objects.filter(username="claire.morel").exists()
    assert not FlatPage.objects.exclude(url="/confidentialite/").exists()  # the privacy page stays


def test_clear_keeps_a_real_account_that_shares_a_demo_username():
    account = UserFactory(username="claire.morel")
    seed()
    seed("--clear")
    assert get_user_model().objects.filter(pk=account.pk).exists()
    assert not Article.objects.exists()


def test_if_empty_does_nothing_when_any_article_exists():
    ArticleFactory(draft=True)
    before = counts()
    output = seed("--if-empty")
    assert counts() == before
    assert "already has articles" in output


def test_if_empty_seeds_an_empty_site():
    seed("--if-empty")
    assert Article.objects.count() == len(CONTENT["articles"])


def test_clear_and_if_empty_together_are_refused():
    with pytest.raises(CommandError, match="cannot be used together"):
        seed("--clear", "--if-empty")


def test_dry_run_saves_nothing():
    before = counts()
    output = seed("--dry-run")
    assert counts() == before
    assert "Demo content created" in output
    assert "nothing was saved" in output


def test_a_failure_leaves_nothing_half_done(monkeypatch):
    broken = {**CONTENT["articles"][-1], "slug": "etat-inconnu", "state": "archived"}
    monkeypatch.setitem(CONTENT, "articles", [*CONTENT["articles"], broken])
    with pytest.raises(ValueError, match="archived"):
        seed()
    assert not Article.objects.exists()
    assert not get_user_model().objects.exists()


def test_output_follows_verbosity():
    assert seed(verbosity=0) == ""
    seed("--clear", verbosity=0)

    summary = seed()
    assert re.fullmatch(
        r"Demo content created \(authors: 4, categories: 14, keywords: 29, articles: 30, pages: 2, "
        # The privacy page, which migrate created, is not demo content: --clear keeps it.
        r"comments: 180\)\.\n1 item was already there and was left unchanged\.\n",
        summary,
    )
    seed("--clear", verbosity=0)

    detailed = seed(verbosity=2)
    assert "  + authors: Claire Morel" in detailed
    assert "  + pages: Mentions légales" in detailed
    assert detailed.count("  + articles: ") == len(CONTENT["articles"])
    detailed_again = seed(verbosity=2)
    assert detailed_again.count("  = articles: ") == len(CONTENT["articles"])


def test_public_articles_of_a_run_are_those_readers_see():
    result = demo_create()
    assert {a.pk for a in result.public_articles} == set(
        Article.objects.published().values_list("pk", flat=True)
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_public_pages_cost_no_more_queries_with_the_whole_demo(
    client, settings, django_assert_max_num_queries
):
    """The same pages, with one article and with the whole demo, cost the same queries."""
    # Fragments cached by an earlier request would hide queries: measure whole renders.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    article = ArticleFactory(tags=["essai"], category=CategoryFactory(slug="essai"))
    small_urls = {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": "/categorie/essai/",
        "tag": "/mot-cle/essai/",
    }
    client.get("/")  # The current Site is looked up once, then cached.
    small = {page: count_queries(client, url) for page, url in small_urls.items()}
    article.delete()

    seed()
    crisis = Article.objects.get(slug="communication-de-crise-la-premiere-heure")
    demo_urls = {
        "home": "/?page=2",
        "article": crisis.get_absolute_url(),
        "category": "/categorie/reseaux-sociaux/",
        "tag": "/mot-cle/community-management/",
    }
    for page, url in demo_urls.items():
        with django_assert_max_num_queries(small[page]):
            client.get(url)


def test_most_articles_have_an_illustration_with_its_renditions_and_a_french_description():
    from django.core.files.storage import default_storage

    seed()
    articles = list(Article.objects.order_by("pk"))
    with_image = [article for article in articles if article.featured_image]
    assert 0 < len(articles) - len(with_image) < len(articles) / 4
    assert len({article.featured_image_alt for article in with_image}) > len(with_image) / 2
    assert len({article.featured_image.read() for article in with_image}) == len(with_image)
    for article in with_image:
        assert article.featured_image_alt.startswith("Illustration abstraite\u00a0: ")
        picture = article.featured_picture
        assert picture is not None
        for rendition in picture.webp + picture.fallback:
            assert default_storage.exists(rendition.url.removeprefix(settings.MEDIA_URL)), rendition.url


def test_illustrations_are_distinct_and_drawn_locally():
    from demo.illustrations import illustration

    first, first_alt = illustration(slug="un", category="communaute", index=0)
    second, second_alt = illustration(slug="deux", category="linkedin", index=1)
    assert first[:3] == b"\xff\xd8\xff" and first != second and first_alt != second_alt


def test_an_article_without_image_weighs_less_than_50_kb_over_the_wire(client):
    """HTML, style sheets, scripts and icons of the page, compressed as WhiteNoise and the
    HTTP server send them (gzip); the site uses no web font."""
    import gzip
    from pathlib import Path

    from django.contrib.staticfiles import finders

    seed()
    article = Article.objects.get(slug="linkedin-b2b-page-entreprise-canal-affaires")
    assert not article.featured_image
    html = client.get(article.get_absolute_url()).content
    total = len(gzip.compress(html))
    for path in set(
        re.findall(rb'<(?:link rel="(?:stylesheet|icon)"|script)[^>]* (?:href|src)="/static/([^"]+)"', html)
    ):
        total += len(gzip.compress(Path(finders.find(path.decode())).read_bytes()))
    assert total < 50_000, total
