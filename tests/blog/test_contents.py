"""Anchors on an article's section headings, and its optional table of contents."""

import re

import pytest

from blog.models import Article
from blog.services import article_bodies_refresh, article_bodies_stale
from medialib.rendering import heading_anchors
from medialib.sanitize import sanitize_html
from tests.factories import ArticleFactory

BODY = (
    "<p>Introduction.</p>"
    "<h2>Les réseaux sociaux</h2><p>Texte.</p>"
    "<h3>Twitter &amp; X</h3><p>Texte.</p>"
    "<h3>LinkedIn</h3><p>Texte.</p>"
    "<h2>Les réseaux sociaux</h2><p>Encore.</p>"
    '<h2 id="ma-partie">Ma partie</h2>'
    "<h4>Un détail</h4>"
)


def ids(html):
    return re.findall(r'<h[2-6][^>]* id="([^"]*)"', html)


def toc(page):
    match = re.search(r'<nav class="further-reading toc".*?</nav>', page, re.S)
    return match.group(0) if match else None


@pytest.fixture
def article(db, site):
    return ArticleFactory(body=BODY)


def test_headings_get_unique_anchors_from_their_words(article):
    assert ids(article.body_html) == [
        "les-reseaux-sociaux",
        "twitter-x",
        "linkedin",
        "les-reseaux-sociaux-2",
        "ma-partie",
    ]


def test_the_text_as_written_keeps_no_generated_id(article):
    assert ids(Article.objects.get(pk=article.pk).body) == ["ma-partie"]


def test_the_sanitiser_lets_heading_ids_through():
    assert sanitize_html('<h2 id="plan">Plan</h2><h3 id="detail">Détail</h3>') == (
        '<h2 id="plan">Plan</h2><h3 id="detail">Détail</h3>'
    )


def test_a_heading_never_takes_an_id_the_page_uses():
    html = heading_anchors("<h2>Content</h2><h2>Comments</h2><h2>C12</h2><h2>?!</h2>")
    assert ids(html) == ["content-2", "comments-2", "c12-2", "section"]


def test_anchors_are_stable_so_the_shown_body_is_never_stale(article):
    assert heading_anchors(article.body_html) == article.body_html
    assert article_bodies_stale(articles=Article.objects.all()) == []


def test_bodies_shown_before_anchors_existed_get_them_on_refresh(article):
    Article.objects.filter(pk=article.pk).update(body_html=article.body)
    assert article_bodies_refresh(articles=Article.objects.all()) == [article.pk]
    assert ids(Article.objects.get(pk=article.pk).body_html)[0] == "les-reseaux-sociaux"


def test_no_table_of_contents_unless_asked(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert toc(page) is None
    assert 'id="les-reseaux-sociaux"' in page  # the anchors are there all the same


def test_the_table_of_contents_links_to_each_section(client, article):
    article.table_of_contents = True
    article.save()
    page = client.get(article.get_absolute_url()).content.decode()
    contents = toc(page)
    assert re.findall(r'href="#([^"]*)"', contents) == [
        "les-reseaux-sociaux", "twitter-x", "linkedin", "les-reseaux-sociaux-2", "ma-partie"
    ]  # fmt: skip
    # The h3s are listed under their h2; an h4 is not a section.
    first = contents.index("les-reseaux-sociaux")
    nested = contents[first : contents.index("les-reseaux-sociaux-2")]
    assert nested.count("<ul>") == 1 and "Twitter &amp; X" in nested
    assert "Un détail" not in contents
    assert page.index('class="further-reading toc"') < page.index('class="article__body"')


def test_a_text_without_headings_shows_no_empty_table(client, db, site):
    article = ArticleFactory(body="<p>Court.</p>", table_of_contents=True)
    assert toc(client.get(article.get_absolute_url()).content.decode()) is None
