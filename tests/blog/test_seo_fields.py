"""What an article's own SEO and sharing fields put in its page's head, and in the sitemap."""

import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ArticleFactory, MediaImageFactory

BASE = "http://blog.example.fr"


def meta(page, attribute, name):
    pattern = rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">'
    return [html.unescape(value) for value in re.findall(pattern, page)]


def head(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    return page[: page.index("</head>")]


@pytest.fixture
def article(db, site):
    return ArticleFactory(title="Le titre de l'article", excerpt="Le résumé.")


def test_without_seo_fields_the_article_s_own_values_are_used(client, article):
    page = head(client, article)
    assert "<title>Le titre de l&#x27;article – " in page
    assert meta(page, "property", "og:title") == ["Le titre de l'article"]
    assert f'<link rel="canonical" href="{BASE}{article.get_absolute_url()}">' in page
    assert meta(page, "name", "robots") == []


def test_the_seo_title_is_the_page_title_and_the_shared_title(client, article):
    article.seo_title = "Un titre pour les moteurs & les réseaux"
    article.save()
    page = head(client, article)
    assert "<title>Un titre pour les moteurs &amp; les réseaux</title>" in page
    assert meta(page, "property", "og:title") == ["Un titre pour les moteurs & les réseaux"]
    assert meta(page, "name", "twitter:title") == ["Un titre pour les moteurs & les réseaux"]


def test_the_meta_description_is_the_description_everywhere(client, article):
    article.seo_description = "Une description choisie."
    article.save()
    page = head(client, article)
    assert meta(page, "name", "description") == ["Une description choisie."]
    assert meta(page, "property", "og:description") == ["Une description choisie."]


def test_noindex_asks_search_engines_to_stay_away(client, article):
    article.noindex = True
    article.save()
    assert meta(head(client, article), "name", "robots") == ["noindex"]


def test_the_canonical_override_is_the_canonical_link_and_the_shared_address(client, article):
    article.canonical_url = "https://journal.example.org/2025/article-original"
    article.save()
    page = head(client, article)
    assert '<link rel="canonical" href="https://journal.example.org/2025/article-original">' in page
    assert meta(page, "property", "og:url") == ["https://journal.example.org/2025/article-original"]


def test_the_sharing_image_is_the_open_graph_image(client, article):
    image = MediaImageFactory(alt_text="Un graphique en barres")
    article.social_image = image
    article.save()
    page = head(client, article)
    assert meta(page, "property", "og:image") == [BASE + image.file.url]
    assert meta(page, "property", "og:image:alt") == ["Un graphique en barres"]
    assert meta(page, "property", "og:image:width") == ["800"]
    assert meta(page, "property", "og:image:height") == ["600"]
    assert meta(page, "name", "twitter:image") == [BASE + image.file.url]


def test_a_deleted_sharing_image_falls_back_to_the_site_image(client, article):
    image = MediaImageFactory()
    article.social_image = image
    article.save()
    image.delete()
    article.refresh_from_db()
    assert article.social_image is None
    article.save()
    assert meta(head(client, article), "property", "og:image") == [f"{BASE}/static/img/og-default.png"]


def test_the_sitemap_leaves_out_noindex_and_republished_articles(client, article):
    hidden = ArticleFactory(noindex=True)
    republished = ArticleFactory(canonical_url="https://journal.example.org/original")
    xml = client.get("/sitemap.xml").content.decode()
    assert article.get_absolute_url() in xml
    assert hidden.get_absolute_url() not in xml
    assert republished.get_absolute_url() not in xml


def test_the_head_with_a_sharing_image_costs_no_extra_query(client, article):
    with_image = ArticleFactory(social_image=MediaImageFactory())
    client.get(ArticleFactory().get_absolute_url())  # what a process reads once (the Site…)
    counts = []
    for each in (article, with_image):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(each.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
