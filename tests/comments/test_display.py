"""What readers see of a discussion: safe text, names, avatars, dates, feeds, and the cost of a page."""

import hashlib
import re

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import Article
from comments.text import render_comment_text
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def discussion(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    return html[html.index('id="comments"') :]


def test_hostile_text_is_escaped(client, article):
    CommentFactory(
        article=article,
        user_name='<img src=x onerror="alert(1)">',
        comment='<script>alert("x")</script> <a href="javascript:alert(1)">clic</a> javascript:alert(2)',
    )
    html = discussion(client, article)
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert 'onerror="alert' not in html


def test_text_keeps_paragraphs_and_links_urls_safely():
    html = render_comment_text(
        "Premier paragraphe\nligne deux\n\nVoir https://example.org/page?a=1&b=2 <b>x</b>"
    )
    assert html.count("<p>") == 2
    assert "ligne deux" in html and "<br>" in html
    assert 'href="https://example.org/page?a=1&amp;b=2"' in html
    assert 'rel="nofollow ugc noopener"' in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_a_website_links_the_name_with_nofollow_ugc(client, article):
    CommentFactory(article=article, user_name="Inès", user_url="https://ines.example")
    assert '<a href="https://ines.example" rel="nofollow ugc">Inès</a>' in discussion(client, article)


def test_an_unsafe_stored_website_is_not_linked(client, article):
    CommentFactory(article=article, user_name="Pirate", user_url="javascript:alert(1)")
    html = discussion(client, article)
    assert "javascript:" not in html
    assert '<p class="comment__author">Pirate</p>' in html


def test_avatars_are_initials_and_no_outside_request_by_default(client, article):
    CommentFactory(article=article, user_name="Jean-Pierre Martin")
    html = discussion(client, article)
    assert ">JP</span>" in html
    assert "gravatar" not in html


def test_gravatar_when_enabled(client, article, settings):
    settings.COMMENTS_GRAVATAR = True
    CommentFactory(article=article, user_email="Jean@Example.org")
    html = discussion(client, article)
    digest = hashlib.md5(b"jean@example.org").hexdigest()
    assert f"https://www.gravatar.com/avatar/{digest}?s=48" in html
    assert 'alt=""' in html


def test_each_comment_has_a_permalink_and_a_french_date(client, article):
    comment = CommentFactory(
        article=article, submit_date=timezone.make_aware(timezone.datetime(2025, 3, 14, 9, 5))
    )
    html = discussion(client, article)
    assert f'id="c{comment.pk}"' in html
    assert f'href="{article.get_absolute_url()}#c{comment.pk}"' in html
    assert "14 mars 2025 09:05" in html


def test_no_inline_script_or_style(client, article):
    CommentFactory(article=article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "style=" not in html
    assert "<script>" not in html
    assert '<script src="/static/js/comments.js" defer></script>' in html


def test_the_section_has_the_comments_anchor_even_when_empty(client, article):
    html = discussion(client, article)
    assert "0 commentaire sur" in html
    assert "Aucun commentaire pour l’instant." in html
    assert 'id="comment-form"' in html


# Query budgets
# ------------------------------------------------------------------------------


def build_thread(article, size):
    """``size`` comments: a third top-level, the rest replies at levels 1 to 3."""
    roots = [CommentFactory(article=article) for _ in range(max(1, size // 3))]
    created = len(roots)
    parents = roots
    while created < size:
        children = []
        for parent in parents:
            if created >= size:
                break
            if parent.level < 3:
                children.append(CommentFactory(article=article, parent_id=parent.pk))
                created += 1
        parents = children or roots


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("logged_in", [False, True])
def test_the_article_page_costs_the_same_for_5_and_500_comments(
    client, settings, django_assert_max_num_queries, logged_in
):
    # Fragments cached by an earlier request would hide queries: measure whole renders.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.COMMENTS_THREADS_PER_PAGE = 1000  # the whole thread on one page
    if logged_in:
        client.force_login(UserFactory())
    small, large = ArticleFactory(), ArticleFactory()
    build_thread(small, 5)
    build_thread(large, 500)
    client.get(small.get_absolute_url())  # warm the content type cache

    small_count, _ = count_queries(client, small.get_absolute_url())
    with django_assert_max_num_queries(small_count):
        response = client.get(large.get_absolute_url())
    assert len(re.findall(r'<li class="comment[^"]*" id="c\d+"', response.content.decode())) == 500
    assert small_count <= (21 if logged_in else 18)


def test_comment_counts_on_the_home_page_come_from_one_query(client, settings, django_assert_max_num_queries):
    # Fragments cached by an earlier request would hide queries: measure whole renders.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    few = ArticleFactory.create_batch(2)
    for article in few:
        CommentFactory.create_batch(2, article=article)
    client.get("/")
    small_count, _ = count_queries(client, "/")
    many = ArticleFactory.create_batch(8)
    for article in many:
        CommentFactory.create_batch(3, article=article)
    with django_assert_max_num_queries(small_count):
        response = client.get("/")
    assert "3 commentaires" in response.content.decode()


def test_lists_count_public_comments_in_their_own_query(django_assert_num_queries):
    article = ArticleFactory()
    CommentFactory.create_batch(3, article=article)
    CommentFactory(article=article, is_public=False)
    with django_assert_num_queries(2):  # the articles with their counts, then their keywords
        counts = {a.pk: a.comment_count for a in Article.objects.for_listing()}
    assert counts == {article.pk: 3}


# Feeds
# ------------------------------------------------------------------------------


def test_site_feed_lists_public_comments_on_public_articles_only(client, article):
    CommentFactory(article=article, user_name="Visible", comment="Public <b>gras</b>")
    CommentFactory(article=article, user_name="Attente", is_public=False)
    CommentFactory(article=article, user_name="Retire", is_removed=True)
    CommentFactory(article=ArticleFactory(draft=True), user_name="Brouillon")
    response = client.get("/commentaires/flux/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert [entry.author for entry in feed.entries] == ["Visible"]
    entry = feed.entries[0]
    assert entry.link.endswith(f"{article.get_absolute_url()}#c{entry.link.rsplit('#c', 1)[1]}")
    assert "<b>" not in entry.summary


def test_article_feed(client, article):
    CommentFactory(article=article, user_name="Ici")
    CommentFactory(article=ArticleFactory(), user_name="Ailleurs")
    feed = feedparser.parse(client.get(f"/commentaires/flux/article/{article.pk}/").content)
    assert [entry.author for entry in feed.entries] == ["Ici"]
    assert article.title in feed.feed.title


def test_feed_of_a_draft_is_not_found(client):
    draft = ArticleFactory(draft=True)
    assert client.get(f"/commentaires/flux/article/{draft.pk}/").status_code == 404


def test_feeds_cost_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for article in ArticleFactory.create_batch(5):
        CommentFactory.create_batch(4, article=article)
    with django_assert_max_num_queries(5):  # the 4 of the feed, and the discussions' lengths
        assert client.get("/commentaires/flux/").status_code == 200


def test_the_preview_of_a_draft_says_comments_open_at_publication(staff_client):
    draft = ArticleFactory(draft=True)
    html = staff_client.get(f"/apercu/{draft.pk}/").content.decode()
    assert "Les commentaires seront ouverts à la publication de cet article." in html
    assert 'id="comment-form"' not in html
