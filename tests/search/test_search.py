import datetime
import html
import re

import factory
import pytest
from django.db import connection
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from blog.models import Article
from editorial import services
from search import selectors
from search.text import indexed_text
from tests.factories import ArticleFactory, CommentFactory

ON_POSTGRESQL = connection.vendor == "postgresql"
needs_postgresql = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="PostgreSQL full-text search: runs in the PostgreSQL pass of CI"
)


NO_WORDS = gettext("Type one or more words to find the articles that contain them.")


def factory_title(word):
    return factory.Sequence(lambda n: f"{word} numéro {n}")


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def text(response):
    """The page as a reader sees it: entities decoded (translations may contain apostrophes)."""
    return html.unescape(response.content.decode())


def result_titles(response):
    return [
        html.unescape(re.sub(r"<[^>]+>", "", title))
        for title in re.findall(r'<h2 class="search-result__title">(.*?)</h2>', response.content.decode())
    ]


def test_search_route(client, db):
    assert reverse("search:results") == "/recherche/"
    assert resolve("/recherche/").view_name == "search:results"


def test_every_page_has_a_labelled_search_box(client, article):
    for url in ["/", article.get_absolute_url()]:
        page = client.get(url).content.decode()
        form = re.search(r'<form class="site-search" role="search"[^>]*>', page).group()
        assert 'method="get"' in form and 'action="/recherche/"' in form
        assert '<label class="visually-hidden" for="site-search-q">' in page
        assert 'id="site-search-q" name="q"' in page


def test_finds_published_articles_and_ranks_title_matches_first(client, db):
    ArticleFactory(
        title="Mesurer son audience", body="<p>Une stratégie pour Instagram.</p>", published_at=days_ago(1)
    )
    ArticleFactory(
        title="Instagram pour les marques", body="<p>Tout sur le réseau.</p>", published_at=days_ago(30)
    )
    ArticleFactory(title="Sans rapport", body="<p>Rien à voir.</p>")
    response = client.get("/recherche/", {"q": "instagram"})
    assert response.status_code == 200
    assert result_titles(response) == ["Instagram pour les marques", "Mesurer son audience"]
    assert ngettext(
        "%(counter)s article matches “%(query)s”.", "%(counter)s articles match “%(query)s”.", 2
    ) % {"counter": 2, "query": "instagram"} in text(response)


def test_drafts_and_scheduled_articles_are_never_found(client, db):
    ArticleFactory(title="Instagram publié")
    ArticleFactory(title="Instagram brouillon", draft=True)
    ArticleFactory(title="Instagram programmé", scheduled=True)
    ArticleFactory(title="Instagram en relecture", status=Article.Status.REVIEW)
    assert result_titles(client.get("/recherche/", {"q": "Instagram"})) == ["Instagram publié"]


def test_every_word_must_be_found(client, db):
    ArticleFactory(title="Instagram et TikTok")
    ArticleFactory(title="Instagram seul")
    assert result_titles(client.get("/recherche/", {"q": "instagram tiktok"})) == ["Instagram et TikTok"]


def test_results_show_a_highlighted_extract(client, db):
    ArticleFactory(
        title="Un article",
        excerpt="",
        body="<p>Le <strong>community management</strong> demande de la patience.</p>",
    )
    page = client.get("/recherche/", {"q": "patience"}).content.decode()
    snippet = re.search(r'<p class="search-result__snippet">(.*?)</p>', page).group(1)
    assert "<mark>patience</mark>" in snippet
    assert "community management" in snippet
    assert "<strong>" not in snippet


def test_extracts_never_turn_article_text_into_markup(client, db):
    ArticleFactory(
        title="Balises",
        excerpt="",
        body="<p>Écrire &lt;script&gt;alert(1)&lt;/script&gt; dans un billet sur la sécurité.</p>",
    )
    page = client.get("/recherche/", {"q": "sécurité"}).content.decode()
    snippet = re.search(r'<p class="search-result__snippet">(.*?)</p>', page).group(1)
    assert "<script>" not in snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet


@pytest.mark.parametrize("query", ["", "   ", "!!!", "'", "-", "« »", "%", "_"])
def test_queries_without_words_get_a_friendly_page(client, article, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    assert NO_WORDS in text(response)
    assert "search-result__title" not in text(response)


def test_search_page_without_parameter(client, article):
    response = client.get("/recherche/")
    assert response.status_code == 200
    assert NO_WORDS in text(response)


def test_no_result_gets_a_friendly_message(client, article):
    response = client.get("/recherche/", {"q": "introuvable"})
    assert response.status_code == 200
    assert gettext("No article matches “%(query)s”.") % {"query": "introuvable"} in text(response)


def test_too_long_query_is_refused_with_a_message(client, article):
    response = client.get("/recherche/", {"q": "mot " * 1000})
    assert response.status_code == 200
    message = gettext("Your search is too long: use at most %(limit_value)d characters.")
    assert message % {"limit_value": 100} in text(response)


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE blog_article; --",
        "' OR 1=1 --",
        '"',
        '"unbalanced phrase',
        "communauté & | ! <-> :* ( )",
        "!(twitter) & (",
        "twitter:* | facebook:A",
        "a\\b \\",
        "%_%",
        "😀 emoji 🚀",
        "<script>alert(1)</script>",
        "x" * 100,
        "\x1b[31m\x07",
        "or and not -",
    ],
)
def test_hostile_queries_never_break_the_page(client, article, query):
    response = client.get("/recherche/", {"q": query})
    # A NUL byte is refused by the site's middleware before any view runs.
    assert response.status_code == (400 if "\x00" in query else 200)
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()


def test_nul_byte_is_a_bad_request(client, article):
    """Only scanners send NUL: the site answers 400 to it in any address (config/middleware.py)."""
    response = client.get("/recherche/", {"q": "twitter\x00"})
    assert response.status_code == 400


def test_query_is_shown_escaped(client, article):
    page = client.get("/recherche/", {"q": "<b>gras</b>"}).content.decode()
    assert "&lt;b&gt;gras&lt;/b&gt;" in page
    assert "<b>gras</b>" not in page


def test_like_wildcards_match_themselves_only(client, db):
    ArticleFactory(title="Taux de 100 % d'engagement")
    ArticleFactory(title="Autre chose", body="<p>Rien.</p>", excerpt="")
    assert result_titles(client.get("/recherche/", {"q": "100%"})) == ["Taux de 100 % d'engagement"]


def test_results_are_paginated_and_bad_pages_show_a_page(client, db, settings):
    ArticleFactory.create_batch(12, title=factory_title("Instagram"))
    first = client.get("/recherche/", {"q": "instagram"})
    assert len(result_titles(first)) == 10
    assert len(re.findall('class="search-result"', first.content.decode())) == 10
    second = client.get("/recherche/", {"q": "instagram", "page": 2})
    assert len(result_titles(second)) == 2
    assert 'href="?q=instagram&amp;page=1"' in second.content.decode()
    for page in ["999", "abc", "-1", "0"]:
        response = client.get("/recherche/", {"q": "instagram", "page": page})
        assert response.status_code == 200


def test_search_results_page_is_not_indexed(client, article):
    page = client.get("/recherche/", {"q": "article"}).content.decode()
    assert '<meta name="robots" content="noindex">' in page


@pytest.mark.parametrize("count", [3, 30])
def test_search_query_budget(client, db, django_assert_num_queries, count):
    ArticleFactory.create_batch(count, title=factory_title("Instagram"), tags=["Réseaux", "Marques"])
    client.get("/recherche/")  # The site's frame, shared by every page, is built.
    # The count, the page's ids, its results with their keywords, and their extracts.
    with django_assert_num_queries(5):
        response = client.get("/recherche/", {"q": "instagram"})
    assert len(result_titles(response)) == min(count, 10)
    # The same search again: the count and the ids; the results' markup is kept.
    with django_assert_num_queries(2):
        again = client.get("/recherche/", {"q": "instagram"})
    assert again.content == response.content
    with django_assert_num_queries(5):
        other = client.get("/recherche/", {"q": "Instagram"})
    assert result_titles(other) == result_titles(response)
    if count > 10:
        with django_assert_num_queries(5):
            client.get("/recherche/", {"q": "Instagram", "page": 2})


def test_a_kept_search_follows_publishing_comments_and_unpublishing(
    client, db, django_capture_on_commit_callbacks
):
    def committed():
        return django_capture_on_commit_callbacks(execute=True)

    with committed():
        ArticleFactory(title="Instagram pour les marques")
        draft = ArticleFactory(title="Instagram en 2027", draft=True)
    assert result_titles(client.get("/recherche/", {"q": "instagram"})) == ["Instagram pour les marques"]
    with committed():
        services.article_publish(article=draft)
    assert "Instagram en 2027" in result_titles(client.get("/recherche/", {"q": "instagram"}))
    with committed():
        CommentFactory(article=draft)
    assert "1 commentaire" in client.get("/recherche/", {"q": "instagram 2027"}).content.decode()
    with committed():
        services.article_unpublish(article=draft)
    assert result_titles(client.get("/recherche/", {"q": "instagram"})) == ["Instagram pour les marques"]


# The word-by-word fallback, for databases other than SQLite and PostgreSQL; it works on every
# database, so it is tested on both.


def test_fallback_matches_every_word_anywhere_and_ranks_titles_first(db):
    in_body = ArticleFactory(title="Mesurer", body="<p>Communauté Instagram.</p>", published_at=days_ago(1))
    in_title = ArticleFactory(title="Communauté Instagram", published_at=days_ago(9))
    in_excerpt = ArticleFactory(
        title="Chapeau", excerpt="Instagram et sa communauté", published_at=days_ago(5)
    )
    ArticleFactory(title="Instagram seulement")
    ArticleFactory(title="Communauté Instagram brouillon", draft=True)
    results = list(selectors._search_fallback(Article.objects.published(), "communauté instagram"))
    assert results == [in_title, in_body, in_excerpt]


def test_fallback_snippet_highlights_the_words(db):
    article = ArticleFactory(excerpt="", body="<p>Un long texte sur les <em>réseaux</em> sociaux.</p>")
    snippets = selectors._fallback_snippets(Article.objects.filter(pk=article.pk), "réseaux")
    assert snippets == {article.pk: "Un long texte sur les <mark>réseaux</mark> sociaux."}


def test_an_extract_is_marked_as_cut_only_where_words_are_left_out():
    words = [f"mot{n}" for n in range(selectors.SNIPPET_WORDS)]
    assert not selectors.highlight(" ".join(words), ["mot0"]).endswith("…")
    assert selectors.highlight(" ".join([*words, "suite"]), ["mot0"]).endswith(" …")
    # Far into a text whose spaces are irregular: the extract starts before the word found, spaces collapsed.
    text = "  \n ".join(f"avant{n}" for n in range(100)) + "  la  stratégie\n\nen  bref"
    extract = selectors.highlight(text, ["stratégie"])
    assert extract.startswith("… avant") and "la <mark>stratégie</mark> en bref" in extract
    assert not extract.endswith("…")


def test_query_cleaning():
    assert selectors.clean_query("  communauté \t\n  twitter\x00\x07 ") == "communauté twitter"
    assert selectors.query_terms("l'algorithme d'Instagram") == ["algorithme", "instagram"]
    assert len(selectors.query_terms(" ".join(f"mot{n}" for n in range(50)))) == selectors.MAX_TERMS


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite index: runs in the SQLite pass")
def test_sqlite_keeps_no_vector_but_an_index_entry(client, db):
    article = ArticleFactory(title="Communautés", tags=["Stratégie"])
    assert Article.objects.get(pk=article.pk).search_vector is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, keywords FROM search_article_fts WHERE rowid = %s", [article.pk])
        assert cursor.fetchone() == ("communaut", indexed_text(f"{article.category.name} Stratégie"))
    assert indexed_text("Catégorie 7 Stratégie") == "categor 7 strateg"
    assert result_titles(client.get("/recherche/", {"q": "communauté"})) == ["Communautés"]


# Full-text search, on both databases.


def test_french_stemming_finds_other_forms(client, db):
    ArticleFactory(title="Animer des communautés", body="<p>Les réseaux sociaux.</p>")
    ArticleFactory(title="Les chevaux du web", body="<p>Un réseau social.</p>")
    assert result_titles(client.get("/recherche/", {"q": "communauté"})) == ["Animer des communautés"]
    assert result_titles(client.get("/recherche/", {"q": "cheval"})) == ["Les chevaux du web"]
    assert sorted(result_titles(client.get("/recherche/", {"q": "réseau"}))) == [
        "Animer des communautés",
        "Les chevaux du web",
    ]


def test_extract_marks_the_stemmed_word(client, db):
    ArticleFactory(title="Titre", excerpt="", body="<p>Nos <strong>communautés</strong> grandissent.</p>")
    page = client.get("/recherche/", {"q": "communauté"}).content.decode()
    snippet = re.search(r'<p class="search-result__snippet">(.*?)</p>', page).group(1)
    assert "<mark>communautés</mark>" in snippet
    assert "<strong>" not in snippet


def test_title_outranks_body_even_with_many_body_occurrences(client, db):
    ArticleFactory(
        title="Bilan de l'année",
        body="<p>" + "TikTok TikTok TikTok. " * 20 + "</p>",
        published_at=days_ago(1),
    )
    ArticleFactory(title="TikTok pour les marques", body="<p>Autre sujet.</p>", published_at=days_ago(20))
    assert result_titles(client.get("/recherche/", {"q": "tiktok"}))[0] == "TikTok pour les marques"


@needs_postgresql
def test_vector_follows_every_write_and_ignores_html(db):
    article = ArticleFactory(title="Ancien titre", body='<p><a href="https://exemple.org/">lien</a></p>')
    assert not selectors.search_articles("exemple").exists()
    article.title = "Stratégie LinkedIn"
    article.save()
    assert list(selectors.search_articles("linkedin")) == [article]
    Article.objects.filter(pk=article.pk).update(excerpt="Podcasts et balados")
    assert list(selectors.search_articles("podcast")) == [article]


def test_websearch_syntax(db):
    both = ArticleFactory(title="Instagram et TikTok")
    only_instagram = ArticleFactory(title="Instagram seul")
    assert list(selectors.search_articles("instagram -tiktok")) == [only_instagram]
    assert list(selectors.search_articles('"instagram et tiktok"')) == [both]


@needs_postgresql
def test_gin_index_exists(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'blog_article_search_vector_idx'")
        (definition,) = cursor.fetchone()
    assert "USING gin (search_vector)" in definition


def test_accents_are_optional_in_queries_and_texts(client, db):
    ArticleFactory(title="Le développement d'une communauté")
    ArticleFactory(title="Un ete sans reseau", body="<p>Sans accents.</p>")
    assert result_titles(client.get("/recherche/", {"q": "developpement"})) == [
        "Le développement d'une communauté"
    ]
    assert result_titles(client.get("/recherche/", {"q": "été réseaux"})) == ["Un ete sans reseau"]


def test_only_the_most_recent_matches_are_ranked(client, db, settings):
    """However common the word, search ranks a bounded number of articles: the most recent matches."""
    settings.SEARCH_MAX_RESULTS = 2
    ArticleFactory(title="Instagram pour les marques", published_at=days_ago(30))
    ArticleFactory(title="Audience", body="<p>Une stratégie pour Instagram.</p>", published_at=days_ago(2))
    ArticleFactory(title="Vidéo", body="<p>Instagram et les vidéos courtes.</p>", published_at=days_ago(1))
    response = client.get("/recherche/", {"q": "instagram"})
    assert sorted(result_titles(response)) == ["Audience", "Vidéo"]
    assert ngettext(
        "%(counter)s article matches “%(query)s”.", "%(counter)s articles match “%(query)s”.", 2
    ) % {"counter": 2, "query": "instagram"} in text(response)
