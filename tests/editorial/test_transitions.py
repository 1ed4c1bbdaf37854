"""Draft → submitted for review → published or scheduled, and back."""

import datetime
from unittest import mock

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from editorial import services
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:blog_article_changelist")


def run_action(client, action, *articles):
    return client.post(
        CHANGELIST, {"action": action, ACTION_CHECKBOX_NAME: [a.pk for a in articles]}, follow=True
    )


def refreshed(article):
    return Article.objects.get(pk=article.pk)


# Services ---------------------------------------------------------------------------


def test_a_draft_is_submitted_then_sent_back():
    article = ArticleFactory(draft=True)
    services.article_submit_for_review(article=article)
    assert refreshed(article).status == Article.Status.REVIEW
    services.article_send_back_to_draft(article=article)
    assert refreshed(article).status == Article.Status.DRAFT


@pytest.mark.parametrize("status", [Article.Status.REVIEW, Article.Status.PUBLISHED])
def test_only_a_draft_can_be_submitted(status):
    article = ArticleFactory(status=status)
    with pytest.raises(services.WorkflowError):
        services.article_submit_for_review(article=article)
    assert refreshed(article).status == status


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.PUBLISHED])
def test_only_an_article_under_review_can_be_sent_back(status):
    article = ArticleFactory(status=status)
    with pytest.raises(services.WorkflowError):
        services.article_send_back_to_draft(article=article)
    assert refreshed(article).status == status


def test_a_scheduled_article_goes_live_by_itself_when_its_date_comes():
    at = timezone.now() + datetime.timedelta(hours=3)
    article = ArticleFactory(status=Article.Status.REVIEW, published_at=None)
    services.article_publish(article=article, at=at)
    assert refreshed(article).is_scheduled
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert Article.objects.scheduled().filter(pk=article.pk).exists()

    later = at + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert Article.objects.published().filter(pk=article.pk).exists()
        assert not Article.objects.scheduled().filter(pk=article.pk).exists()


def test_the_database_refuses_a_published_article_without_a_date():
    article = ArticleFactory(draft=True, published_at=None)
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)


def test_the_database_refuses_a_publication_day_without_a_date():
    article = ArticleFactory(draft=True)
    assert article.publication_date is not None
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(published_at=None)


# Admin actions, with their history -------------------------------------------------------


def test_author_submits_with_the_action_and_it_is_logged(author_client, author_user):
    article = ArticleFactory(author=author_user, draft=True)
    response = run_action(author_client, "submit_for_review", article)
    assert refreshed(article).status == Article.Status.REVIEW
    assert "1 article soumis à relecture." in response.content.decode()
    entry = LogEntry.objects.get(object_id=str(article.pk), action_flag=CHANGE)
    assert entry.user == author_user
    assert entry.get_change_message() == "Soumis à relecture."


def test_submitting_what_is_not_a_draft_is_reported(author_client, author_user):
    article = ArticleFactory(author=author_user, status=Article.Status.REVIEW, published_at=None)
    response = run_action(author_client, "submit_for_review", article)
    assert "Non soumis (seuls les brouillons peuvent l’être) : « " in response.content.decode()
    assert not LogEntry.objects.exists()


def test_editor_publishes_the_review_queue(editor_client, author_user):
    first = ArticleFactory(author=author_user, status=Article.Status.REVIEW, published_at=None)
    second = ArticleFactory(author=author_user, status=Article.Status.REVIEW, published_at=None)
    response = run_action(editor_client, "publish", first, second)
    assert "2 articles publiés ou programmés." in response.content.decode()
    assert refreshed(first).is_public and refreshed(second).is_public
    assert LogEntry.objects.filter(change_message="Publié.").count() == 2


def test_publishing_keeps_a_future_date_and_logs_a_schedule(editor_client, author_user):
    at = timezone.now() + datetime.timedelta(days=1)
    article = ArticleFactory(author=author_user, status=Article.Status.REVIEW, published_at=at)
    run_action(editor_client, "publish", article)
    assert refreshed(article).is_scheduled
    assert LogEntry.objects.get(object_id=str(article.pk)).change_message == "Programmé pour publication."


def test_editor_sends_an_article_back_to_draft(editor_client, author_user):
    article = ArticleFactory(author=author_user, status=Article.Status.REVIEW, published_at=None)
    draft = ArticleFactory(author=author_user, draft=True)
    response = run_action(editor_client, "send_back_to_draft", article, draft)
    content = response.content.decode()
    assert refreshed(article).status == Article.Status.DRAFT
    assert "1 article renvoyé en brouillon." in content
    assert "Non renvoyé en brouillon (seuls les articles en attente de relecture peuvent l’être)" in content


def test_editor_unpublishes_and_the_history_page_shows_it(editor_client, editor_user):
    article = ArticleFactory()
    run_action(editor_client, "unpublish", article)
    assert refreshed(article).status == Article.Status.DRAFT
    history = editor_client.get(reverse("admin:blog_article_history", args=[article.pk]))
    assert history.status_code == 200
    assert "Dépublié : renvoyé aux brouillons." in history.content.decode()
    assert editor_user.username in history.content.decode()


def test_review_queue_filter_lists_only_articles_awaiting_review(editor_client, author_user):
    waiting = ArticleFactory(author=author_user, status=Article.Status.REVIEW, published_at=None)
    ArticleFactory(author=author_user, draft=True)
    ArticleFactory(author=author_user)
    response = editor_client.get(CHANGELIST + "?state=review")
    assert list(response.context["cl"].result_list) == [waiting]


@pytest.mark.parametrize(
    ("state", "expected"),
    [("draft", {"draft"}), ("published", {"online"}), ("scheduled", {"scheduled"})],
)
def test_state_filters(editor_client, author_user, state, expected):
    articles = {
        "draft": ArticleFactory(author=author_user, draft=True),
        "online": ArticleFactory(author=author_user),
        "scheduled": ArticleFactory(author=author_user, scheduled=True),
    }
    response = editor_client.get(CHANGELIST + f"?state={state}")
    shown = {name for name, article in articles.items() if article in response.context["cl"].result_list}
    assert shown == expected


def test_changelist_query_count_does_not_grow_with_articles(
    editor_client, author_user, django_assert_max_num_queries
):
    for _ in range(3):
        ArticleFactory(author=author_user)
    with django_assert_max_num_queries(12) as small:
        editor_client.get(CHANGELIST)
    for _ in range(20):
        ArticleFactory(author=author_user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        editor_client.get(CHANGELIST)


# Every action says what it did and what it left, and why ------------------------------


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_publishing_a_scheduled_article_says_it_is_already_scheduled(editor_client, author_user):
    at = timezone.localtime().replace(month=12, day=12, hour=9, minute=0, second=0, microsecond=0)
    at = at.replace(year=timezone.localdate().year + 1)
    article = ArticleFactory(author=author_user, published_at=at)
    response = run_action(editor_client, "publish", article)
    assert refreshed(article).published_at == at
    [warning] = messages_of(response)
    assert f"« {article.title} »" in warning
    assert f"déjà programmé pour le 12 déc. {at.year} à 9 h" in warning
    assert "« Publier maintenant »" in warning


def test_publish_now_brings_a_scheduled_article_forward(editor_client, author_user):
    article = ArticleFactory(author=author_user, scheduled=True)
    response = run_action(editor_client, "publish_now", article)
    assert refreshed(article).is_public
    assert messages_of(response) == ["1 article publié."]
    assert LogEntry.objects.get(object_id=str(article.pk)).change_message == "Publié."


def test_an_action_names_each_article_it_left_with_its_reason(editor_client, author_user):
    live = ArticleFactory(author=author_user, title="Déjà en ligne")
    draft = ArticleFactory(author=author_user, draft=True, title="Brouillon prêt")
    response = run_action(editor_client, "publish_now", live, draft)
    shown = messages_of(response)
    assert "1 article publié." in shown
    assert "Non publié (déjà publié) : « Déjà en ligne »" in shown
    unpublished = run_action(editor_client, "unpublish", ArticleFactory(draft=True, title="Jamais sorti"))
    assert messages_of(unpublished) == ["Non dépublié (ni publié ni programmé) : « Jamais sorti »"]


def test_the_list_and_the_form_say_when_a_scheduled_article_comes_out(editor_client, author_user):
    at = timezone.localtime().replace(
        year=timezone.localdate().year + 1, month=12, day=12, hour=9, minute=30, second=0, microsecond=0
    )
    article = ArticleFactory(author=author_user, published_at=at)
    listing = editor_client.get(CHANGELIST).content.decode()
    assert f"Programmé pour le 12 déc. {at.year} à 9 h 30" in listing
    form = editor_client.get(reverse("admin:blog_article_change", args=[article.pk])).content.decode()
    assert f"Programmé pour le 12 déc. {at.year} à 9 h 30" in form
