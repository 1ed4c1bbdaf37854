"""The comment routes show nothing of unpublished articles or hidden comments: the same 404 as nothing at all.

A draft, an article in review or a scheduled one, a comment awaiting
moderation or removed: none may be found by trying ids one after another.
"""

import pytest
from django.contrib.contenttypes.models import ContentType

from blog.models import Article
from tests.factories import ArticleFactory, CommentFactory, UserFactory
from tests.security.comments_support import comment_data, confirm_sent_comments, page_text, post_comment

MISSING = 987654


def unpublished_articles():
    return {
        "draft": ArticleFactory(draft=True),
        "review": ArticleFactory(status=Article.Status.REVIEW),
        "scheduled": ArticleFactory(scheduled=True),
    }


def assert_like_nothing(client, path, missing_path):
    """``path`` answers exactly what an address with an id that never existed answers."""
    response, nothing = client.get(path), client.get(missing_path)
    assert nothing.status_code == 404
    assert response.status_code == 404, (path, response.status_code, response.get("Location"))
    assert response.content == nothing.content
    assert "Location" not in response


@pytest.fixture
def article_type(db):
    return ContentType.objects.get_for_model(Article).pk


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["draft", "review", "scheduled"])
def test_the_comment_redirect_finds_no_unpublished_article(client, article_type, state):
    article = unpublished_articles()[state]
    assert_like_nothing(
        client,
        f"/commentaires/cr/{article_type}/{article.pk}/",
        f"/commentaires/cr/{article_type}/{MISSING}/",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["draft", "review", "scheduled"])
def test_the_permalink_of_a_comment_on_an_unpublished_article_is_like_nothing(client, article_type, state):
    comment = CommentFactory(article=unpublished_articles()[state])
    assert_like_nothing(client, comment.get_absolute_url(), f"/commentaires/cr/{article_type}/{MISSING}/")
    assert_like_nothing(client, f"/commentaires/reply/{comment.pk}/", f"/commentaires/reply/{MISSING}/")


@pytest.mark.django_db
def test_the_comment_redirect_of_a_published_article_leads_to_it(client, article_type):
    article = ArticleFactory()
    comment = CommentFactory(article=article)
    response = client.get(comment.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.django_db
def test_the_comment_redirect_answers_nothing_for_other_kinds_of_objects(client, article_type):
    user = UserFactory()
    user_type = ContentType.objects.get_for_model(user).pk
    assert_like_nothing(
        client, f"/commentaires/cr/{user_type}/{user.pk}/", f"/commentaires/cr/{article_type}/{MISSING}/"
    )
    assert_like_nothing(
        client, f"/commentaires/cr/{MISSING}/1/", f"/commentaires/cr/{article_type}/{MISSING}/"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("state", [{"is_public": False}, {"is_removed": True}])
def test_hidden_comments_are_like_nothing(client, state):
    comment = CommentFactory(**state)
    assert_like_nothing(client, f"/commentaires/reply/{comment.pk}/", f"/commentaires/reply/{MISSING}/")
    client.force_login(UserFactory())
    assert_like_nothing(client, f"/commentaires/signaler/{comment.pk}/", f"/commentaires/signaler/{MISSING}/")


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["draft", "review", "scheduled"])
def test_the_feeds_and_form_fields_of_an_unpublished_article_are_like_nothing(client, state):
    article = unpublished_articles()[state]
    hidden = CommentFactory(article=article, comment="Un avis sur un brouillon.")
    pending = CommentFactory(comment="Un avis en attente.", is_public=False)
    assert_like_nothing(
        client, f"/commentaires/flux/article/{article.pk}/", f"/commentaires/flux/article/{MISSING}/"
    )
    assert_like_nothing(client, f"/commentaires/champs/{article.pk}/", f"/commentaires/champs/{MISSING}/")
    feed = client.get("/commentaires/flux/").content.decode()
    assert hidden.comment not in feed
    assert article.title not in feed
    assert pending.comment not in feed
    client.force_login(UserFactory())
    assert_like_nothing(client, f"/commentaires/signaler/{hidden.pk}/", f"/commentaires/signaler/{MISSING}/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/commentaires/posted/", "/commentaires/posted.json", "/commentaires/sent/"]
)
def test_the_stock_confirmation_pages_show_no_hidden_comment(client, path):
    """The stock "posted" page would show any comment given by its id in ``?c=``."""
    comment = CommentFactory(is_public=False, comment="Un avis en attente de modération.")
    response = client.get(path, {"c": comment.pk})
    assert response.status_code == 404
    assert comment.comment not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("twice", [False, True])
def test_a_confirmation_link_shows_nothing_of_an_article_unpublished_since(client, twice):
    """The article went back to draft between the post and the click (or the second click)."""
    article = ArticleFactory(title="Un article retiré depuis")
    post_comment(client, comment_data(article))
    if twice:
        confirm_sent_comments(client)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    (response,) = confirm_sent_comments(client)

    assert response.status_code == 400
    assert article.title not in page_text(response)
    assert article.get_absolute_url() not in page_text(response)
    assert "Location" not in response


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["draft", "review", "scheduled"])
def test_posting_on_an_unpublished_article_is_refused_like_on_nothing(client, state):
    article = unpublished_articles()[state]
    response = post_comment(client, comment_data(article))
    nothing = post_comment(client, {**comment_data(article), "object_pk": str(MISSING)})
    assert response.status_code == nothing.status_code == 400
    assert article.title not in page_text(response)
    assert response.content == nothing.content
