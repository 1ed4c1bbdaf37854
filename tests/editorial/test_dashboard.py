"""The admin index shows each person what needs their attention."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from blog.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def make_comment(article, *, public=True, removed=False, text="Un commentaire", minutes_ago=0):
    return XtdComment.objects.create(
        content_type=ContentType.objects.get_for_model(Article),
        object_pk=str(article.pk),
        site=Site.objects.get_current(),
        user_name="Lectrice",
        user_email="lectrice@example.org",
        comment=text,
        is_public=public,
        is_removed=removed,
        submit_date=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def dashboard(response):
    return response.context["dashboard"]


def test_editor_sees_the_review_queue_scheduled_articles_and_own_drafts(
    editor_client, editor_user, author_user
):
    waiting = ArticleFactory(author=author_user, status=Article.Status.REVIEW, published_at=None)
    scheduled = ArticleFactory(author=author_user, scheduled=True)
    mine = ArticleFactory(author=editor_user, draft=True, title="Brouillon de l'éditrice")
    ArticleFactory(author=author_user, draft=True, title="Brouillon de l'autrice")
    ArticleFactory(author=author_user)

    response = editor_client.get(INDEX)
    assert response.status_code == 200
    articles = dashboard(response)["articles"]
    assert articles["counts"] == {"review": 1, "scheduled": 1, "my_drafts": 1}
    assert articles["review"] == [waiting]
    assert articles["scheduled"] == [scheduled]
    assert articles["my_drafts"] == [mine]
    content = response.content.decode()
    assert reverse("admin:blog_article_change", args=[waiting.pk]) in content
    assert "Brouillon de l'autrice" not in content


def test_author_sees_only_their_own_articles(author_client, author_user, other_author):
    ArticleFactory(author=other_author, status=Article.Status.REVIEW, published_at=None)
    ArticleFactory(author=other_author, scheduled=True)
    submitted = ArticleFactory(author=author_user, status=Article.Status.REVIEW, published_at=None)
    draft = ArticleFactory(author=author_user, draft=True)

    articles = dashboard(author_client.get(INDEX))["articles"]
    assert articles["counts"] == {"review": 1, "scheduled": 0, "my_drafts": 1}
    assert articles["review"] == [submitted]
    assert articles["my_drafts"] == [draft]
    assert dashboard(author_client.get(INDEX))["comments"] is None


def test_the_lists_are_short_but_the_counts_are_complete(editor_client, author_user):
    for _ in range(7):
        ArticleFactory(author=author_user, status=Article.Status.REVIEW, published_at=None)
    articles = dashboard(editor_client.get(INDEX))["articles"]
    assert articles["counts"]["review"] == 7
    assert len(articles["review"]) == 5


def test_moderator_sees_the_comments_awaiting_moderation_and_the_latest(moderator_client):
    article = ArticleFactory(title="Article commenté")
    held = make_comment(article, public=False, text="En attente de modération")
    make_comment(article, public=False, removed=True, text="Retiré, donc absent")
    old = make_comment(article, text="Ancien commentaire", minutes_ago=30)
    new = make_comment(article, text="Nouveau commentaire", minutes_ago=1)

    response = moderator_client.get(INDEX)
    data = dashboard(response)
    assert data["articles"] is None
    comments = data["comments"]
    assert comments["pending_count"] == 1
    assert [row["comment"] for row in comments["pending"]] == [held]
    assert [row["comment"] for row in comments["latest"]] == [new, old]
    assert comments["latest"][0]["article_title"] == "Article commenté"
    content = response.content.decode()
    assert reverse("admin:django_comments_xtd_xtdcomment_change", args=[held.pk]) in content
    assert "Retiré, donc absent" not in content


def test_dashboard_query_count_does_not_grow_with_content(
    editor_user, moderator_user, client, django_assert_max_num_queries
):
    # One person who sees everything: editor and moderator at once.
    editor_user.groups.add(*moderator_user.groups.all())
    client.force_login(editor_user)

    def fill(count):
        for _ in range(count):
            article = ArticleFactory(author=editor_user, status=Article.Status.REVIEW, published_at=None)
            ArticleFactory(author=editor_user, scheduled=True)
            ArticleFactory(author=editor_user, draft=True)
            make_comment(article, public=False)
            make_comment(article)

    fill(1)
    with django_assert_max_num_queries(30) as small:
        client.get(INDEX)
    fill(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(INDEX)
    assert dashboard(response)["comments"]["pending_count"] == 9


def test_dashboard_without_any_content(editor_client):
    response = editor_client.get(INDEX)
    assert response.status_code == 200
    assert "Rien n’attend de relecture." in response.content.decode()


def test_the_pending_count_and_the_list_it_opens_agree(moderator_client):
    from tests.factories import CommentFactory

    article = ArticleFactory()
    for _ in range(3):
        make_comment(article, public=False)
    # Spam and removed comments are not awaiting anyone.
    make_comment(article, public=False, removed=True)
    spam = CommentFactory(article=article, is_public=False, is_removed=True)
    assert spam.pk
    comments = dashboard(moderator_client.get(INDEX))["comments"]
    assert comments["pending_count"] == 3
    listed = moderator_client.get(comments["pending_url"])
    assert listed.context["cl"].result_count == 3
