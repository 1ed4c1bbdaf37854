"""The comment form of a page shared by every reader: its per-reader values come from the script."""

import json
import time

import pytest
from django.test import Client
from django_comments_xtd.models import XtdComment

from blog.models import Article
from comments.forms import CommentForm
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def fields(client, article):
    response = client.get(f"/commentaires/champs/{article.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_script_gets_a_fresh_signed_timestamp_for_each_reader(client):
    article = ArticleFactory()
    values = fields(client, article)
    assert abs(int(values["timestamp"]) - time.time()) < 5
    form = CommentForm(article)
    assert values["security_hash"] == form.generate_security_hash(
        "blog.article", str(article.pk), values["timestamp"]
    )
    # An anonymous reader needs no token, and gets no cookie.
    assert values["csrfmiddlewaretoken"] == ""
    assert "csrftoken" not in client.cookies


def test_a_signed_in_reader_gets_a_token(client):
    client.force_login(UserFactory())
    assert len(fields(client, ArticleFactory())["csrfmiddlewaretoken"]) == 64


def test_there_are_no_fields_for_an_unpublished_article(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert client.get(f"/commentaires/champs/{draft.pk}/").status_code == 404
    assert client.get("/commentaires/champs/999999999/").status_code == 404


def test_an_anonymous_post_needs_no_csrf_token(comment_data, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    browser = Client(enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/commentaires/post/", comment_data(article))
    assert response.status_code == 302


def test_a_signed_in_post_still_needs_its_csrf_token(comment_data):
    article = ArticleFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    response = browser.post("/commentaires/post/", comment_data(article))
    assert response.status_code == 403
    assert not XtdComment.objects.exists()


def test_without_the_script_the_comment_comes_back_to_be_confirmed(client, comment_data, settings):
    """The shared page's form has no signature: posting shows the comment again, signed, to post once more."""
    article = ArticleFactory()
    data = comment_data(article, timestamp="", security_hash="", comment="Mon avis, écrit sans script.")
    response = client.post("/commentaires/post/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Confirmez votre commentaire" in page or "Confirm your comment" in page
    assert "Mon avis, écrit sans script." in page
    assert "csrfmiddlewaretoken" in page
    assert 'name="timestamp" value=""' not in page
    assert not XtdComment.objects.exists()
