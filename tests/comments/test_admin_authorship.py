"""The moderators' admin: moderators change a comment's state, never who wrote it."""

import pytest
from django.test import Client

from tests.factories import CommentFactory, ModeratorUserFactory

AUTHORSHIP = ["user", "user_name", "user_email", "user_url"]


def change_url(comment):
    return f"/admin/django_comments_xtd/xtdcomment/{comment.pk}/change/"


def forged_post(comment, article):
    """Everything a change form could carry, with the article's author put in as the comment's."""
    return {
        "user": str(article.author.pk),
        "user_name": "L'autrice de l'article",
        "user_email": article.author.email,
        "user_url": "https://autrice.example.org/",
        "comment": comment.comment,
        "is_public": "on",
        "_save": "Enregistrer",
    }


@pytest.fixture
def moderator_client(db):
    client = Client()
    client.force_login(ModeratorUserFactory(username="moderatrice"))
    return client


@pytest.mark.django_db
def test_a_moderator_cannot_make_a_reader_the_author(client, moderator_client):
    comment = CommentFactory(is_public=False, user_name="Lectrice", user_email="lectrice@example.org")
    article = comment.content_object

    response = moderator_client.post(change_url(comment), forged_post(comment, article))

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_public, "the state did change"
    assert comment.user_id is None
    assert (comment.user_name, comment.user_email, comment.user_url) == (
        "Lectrice",
        "lectrice@example.org",
        "",
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "comment__badge" not in page


@pytest.mark.django_db
def test_the_moderator_sees_authorship_but_no_field_to_change_it(moderator_client):
    comment = CommentFactory(user_name="Lectrice")
    html = moderator_client.get(change_url(comment)).content.decode()
    assert "Lectrice" in html
    for name in AUTHORSHIP:
        assert f'name="{name}"' not in html, name
    assert 'name="is_public"' in html
    assert 'name="is_removed"' in html


@pytest.mark.django_db
def test_a_superuser_may_still_correct_authorship(admin_client):
    comment = CommentFactory(user_name="Lectrice")
    article = comment.content_object
    response = admin_client.post(change_url(comment), forged_post(comment, article))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.user_id == article.author.pk
    assert comment.user_name == "L'autrice de l'article"


@pytest.mark.django_db
@pytest.mark.parametrize("object_id", ["99999999999999999999", "9223372036854775808", "-1", "x"])
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_an_impossible_comment_id_is_not_found(admin_client, object_id, view):
    """XtdComment's primary key is a parent link, whose lookups skip Django's overflow guard."""
    response = admin_client.get(f"/admin/django_comments_xtd/xtdcomment/{object_id}/{view}/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/"
