import datetime

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.urls import reverse

from blog.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorProfileFactory,
    CategoryFactory,
    FurtherReadingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOV_20_2009 = datetime.datetime(2009, 11, 20, 9, 30, tzinfo=datetime.UTC)


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def main(html):
    """The page's own content, without the sidebar (which lists recent articles)."""
    return html.split('<main id="content"', 1)[1].split("</main>", 1)[0]


def make_articles(count, **kwargs):
    category = kwargs.pop("category", None) or CategoryFactory()
    author = kwargs.pop("author", None) or AuthorProfileFactory().user
    return [
        ArticleFactory(
            category=category,
            author=author,
            published_at=NOV_20_2009 + datetime.timedelta(hours=i),
            tags=["Twitter", "Veille"],
            **kwargs,
        )
        for i in range(count)
    ]


class TestHome:
    def test_shows_published_articles_with_their_details(self, client):
        profile = AuthorProfileFactory(display_name="Claire Dupont")
        category = CategoryFactory(name="Réseaux sociaux")
        ArticleFactory(
            title="Les tendances du web social",
            author=profile.user,
            category=category,
            published_at=NOV_20_2009,
            excerpt="Ce qui change cette année.",
            tags=["LinkedIn", "Influence"],
        )

        html = page(client, "/")

        assert "Les tendances du web social" in html
        assert "20 nov. 2009" in html
        assert "Claire Dupont" in html
        assert 'href="/auteur/' in html
        assert "Réseaux sociaux" in html
        assert 'href="/mot-cle/linkedin/"' in html
        assert "Ce qui change cette année." in html
        assert "0 commentaire" in html

    def test_hides_drafts_and_scheduled_articles(self, client):
        ArticleFactory(title="Visible")
        ArticleFactory(title="Brouillon secret", draft=True)
        ArticleFactory(title="Programmé secret", scheduled=True)

        html = page(client, "/")

        assert "Visible" in html
        assert "secret" not in html

    def test_featured_articles_come_first(self, client):
        ArticleFactory(title="Récent", published_at=NOV_20_2009)
        ArticleFactory(
            title="À la une", featured=True, published_at=NOV_20_2009 - datetime.timedelta(days=30)
        )

        html = page(client, "/")

        assert html.index("À la une") < html.index("Récent")

    def test_paginates_and_keeps_other_parameters(self, client, settings):
        make_articles(12)
        html = page(client, "/?vue=compacte")
        assert "?vue=compacte&amp;page=2" in html
        assert "Page 1 sur 2" in html
        assert "Page 2 sur 2" in page(client, "/?page=2")

    def test_invalid_page_is_a_404(self, client):
        make_articles(2)
        page(client, "/?page=999", status=404)
        page(client, "/?page=abc", status=404)

    def test_article_without_tags_has_no_dangling_label(self, client):
        ArticleFactory()
        assert "Mots-clés" not in page(client, "/").split('<aside class="sidebar"')[0]

    def test_sidebar(self, client):
        parent = CategoryFactory(name="Stratégie")
        child = CategoryFactory(name="Marque employeur", parent=parent)
        ArticleFactory(category=child, title="Recrutement et réseaux", tags=["RH"], published_at=NOV_20_2009)
        ArticleFactory(category=child, draft=True, tags=["Secret"])

        html = page(client, "/")
        sidebar = html.split('<aside class="sidebar"')[1]

        assert 'Marque employeur</a> <span class="count">(1)</span>' in sidebar
        assert 'Stratégie</a> <span class="count">(1)</span>' in sidebar  # its sub-category's article
        assert "Recrutement et réseaux" in sidebar
        assert "Novembre 2009" in sidebar
        assert "RH" in sidebar
        assert "Secret" not in sidebar


class TestArticleDetail:
    def test_shows_everything_about_the_article(self, client):
        profile = AuthorProfileFactory(display_name="Claire Dupont", bio="Consultante en e-réputation.")
        article = ArticleFactory(
            title="Gérer une crise sur les réseaux",
            author=profile.user,
            published_at=NOV_20_2009,
            body="<h2>Anticiper</h2><ul><li>Veille</li><li>Réponse</li></ul>",
            tags=["Crise", "E-réputation"],
        )
        FurtherReadingFactory(article=article, title="Le guide de la crise", url="https://example.org/guide")

        html = page(client, article.get_absolute_url())

        assert '<h1 class="article__title">Gérer une crise sur les réseaux</h1>' in html
        assert "20 nov. 2009" in html
        assert "Claire Dupont" in html
        assert "Consultante en e-réputation." in html
        assert article.category.name in html
        assert "<li>Veille</li>" in html
        assert 'href="/mot-cle/crise/"' in html
        assert "Pour aller plus loin" in html
        assert 'href="https://example.org/guide"' in html

    def test_no_further_reading_section_when_empty(self, client, article):
        assert "further-reading" not in page(client, article.get_absolute_url())

    def test_previous_and_next_links(self, client):
        first, middle, last = make_articles(3)
        html = page(client, middle.get_absolute_url())
        assert first.get_absolute_url() in html
        assert last.get_absolute_url() in html

    def test_drafts_and_scheduled_articles_are_404(self, client):
        for article in (ArticleFactory(draft=True), ArticleFactory(scheduled=True)):
            page(client, article.get_absolute_url(), status=404)

    def test_wrong_date_is_404(self, client, article):
        page(client, f"/2001/01/01/{article.slug}/", status=404)
        page(client, "/2009/13/45/x/", status=404)
        page(client, "/2009/02/30/x/", status=404)

    def test_404_page_has_the_site_look(self, client):
        html = page(client, "/2009/01/01/nothing/", status=404)
        assert "Page introuvable" in html
        assert "site.css" in html


class TestPreview:
    def test_staff_can_preview_a_draft(self, client, staff_user):
        draft = ArticleFactory(title="Brouillon", draft=True)
        client.force_login(staff_user)
        response = client.get(reverse("blog:article_preview", kwargs={"pk": draft.pk}))
        assert response.status_code == 200
        assert "Brouillon" in response.content.decode()
        assert "no-cache" in response["Cache-Control"]
        assert 'name="robots" content="noindex"' in response.content.decode()

    def test_anonymous_and_non_staff_get_404(self, client):
        draft = ArticleFactory(draft=True)
        url = reverse("blog:article_preview", kwargs={"pk": draft.pk})
        assert client.get(url).status_code == 404
        client.force_login(UserFactory())
        assert client.get(url).status_code == 404


class TestListPages:
    def test_category_page_includes_subcategories(self, client):
        parent = CategoryFactory(name="Réseaux sociaux", description="Tout sur les plateformes.")
        child = CategoryFactory(name="Facebook", parent=parent)
        ArticleFactory(title="Article parent", category=parent)
        ArticleFactory(title="Article enfant", category=child)
        ArticleFactory(title="Article ailleurs")

        html = main(page(client, parent.get_absolute_url()))

        assert "Article parent" in html and "Article enfant" in html
        assert "Article ailleurs" not in html
        assert "Tout sur les plateformes." in html
        assert child.get_absolute_url() in html

    def test_unknown_category_is_404(self, client):
        page(client, "/categorie/inconnue/", status=404)

    def test_tag_page(self, client):
        ArticleFactory(title="Avec le mot-clé", tags=["Community management"])
        ArticleFactory(title="Sans le mot-clé", tags=["Autre"])
        html = main(page(client, "/mot-cle/community-management/"))
        assert "Avec le mot-clé" in html and "Sans le mot-clé" not in html

    def test_tag_used_only_by_drafts_is_404(self, client):
        ArticleFactory(draft=True, tags=["Projet secret"])
        page(client, "/mot-cle/projet-secret/", status=404)

    def test_author_page(self, client):
        profile = AuthorProfileFactory(
            display_name="Claire Dupont", bio="Consultante.", website="https://example.org"
        )
        ArticleFactory(title="Son article", author=profile.user)
        ArticleFactory(title="Son brouillon", author=profile.user, draft=True)

        html = main(page(client, f"/auteur/{profile.user.username}/"))

        assert "Claire Dupont" in html and "Consultante." in html
        assert "Son article" in html and "Son brouillon" not in html
        assert "1 article" in html

    def test_author_without_published_articles_is_404(self, client):
        page(client, f"/auteur/{UserFactory().username}/", status=404)
        page(client, "/auteur/personne/", status=404)

    def test_date_archives(self, client):
        ArticleFactory(title="Novembre", published_at=NOV_20_2009)
        ArticleFactory(title="Décembre", published_at=NOV_20_2009 + datetime.timedelta(days=15))
        ArticleFactory(title="Brouillon", published_at=NOV_20_2009, draft=True)

        year = main(page(client, "/2009/"))
        month = main(page(client, "/2009/11/"))
        day = main(page(client, "/2009/11/20/"))

        assert "Novembre" in year and "Décembre" in year
        assert ">Novembre</a>" in month and ">Décembre</a>" not in month
        assert "Décembre 2009" in month  # the link to the next month
        assert "Novembre" in day and "Brouillon" not in day
        page(client, "/2009/02/", status=404)
        page(client, "/2009/13/", status=404)

    def test_flatpage(self, client):
        flatpage = FlatPage.objects.create(
            url="/a-propos/", title="À propos", content="<p>Qui sommes-nous</p>"
        )
        flatpage.sites.add(Site.objects.get_current())
        html = page(client, "/a-propos/")
        assert "Qui sommes-nous" in html
        assert 'href="/a-propos/"' in page(client, "/2009/01/01/nothing/", status=404)


# Query budgets: the same number of queries whatever the number of rows shown.
PUBLIC_PAGES = {
    "home": lambda a: "/",
    "home page 2": lambda a: "/?page=2",
    "article": lambda a: a.get_absolute_url(),
    "category": lambda a: a.category.get_absolute_url(),
    "tag": lambda a: "/mot-cle/twitter/",
    "author": lambda a: f"/auteur/{a.author.username}/",
    "year": lambda a: "/2009/",
    "month": lambda a: "/2009/11/",
    "day": lambda a: "/2009/11/20/",
}


# Per page: the page's own queries + 1 for the static pages' links + 4 for the sidebar.
QUERY_BUDGETS = {
    "home": 8,
    "home page 2": 8,
    "article": 12,
    "category": 11,
    "tag": 9,
    "author": 9,
    "year": 14,
    "month": 14,
    "day": 17,
}


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the per-process caches (current Site, content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_query_count_does_not_grow_with_the_number_of_articles(client, name, django_assert_max_num_queries):
    small = make_articles(12)
    # Neighbours on every side, so the archives' previous/next links exist in both runs.
    for days in (-400, -40, -1, 1, 40, 400):
        ArticleFactory(published_at=NOV_20_2009 + datetime.timedelta(days=days))
    small_count = count_queries(client, PUBLIC_PAGES[name](small[5]))

    large = make_articles(23, category=small[0].category, author=small[0].author)
    for article in large:
        FurtherReadingFactory(article=article)
        CategoryFactory(parent=small[0].category)
    large_count = count_queries(client, PUBLIC_PAGES[name](small[5]))

    assert large_count == small_count
    with django_assert_max_num_queries(QUERY_BUDGETS[name]):
        client.get(PUBLIC_PAGES[name](small[5]))


def test_published_articles_only_in_every_listing(client):
    make_articles(3)
    secret = ArticleFactory(title="Top secret", draft=True, published_at=NOV_20_2009, tags=["Twitter"])
    for name, url in PUBLIC_PAGES.items():
        if name == "home page 2":
            continue
        assert "Top secret" not in page(client, url(Article.objects.published().first())), name
    assert secret.pk
