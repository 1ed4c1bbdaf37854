"""The thread's markup is kept between views, and every change to it shows at once."""

import re

import pytest
from django.test import Client
from django_comments_xtd.models import XtdComment

from comments import services
from tests.factories import ArticleFactory, CommentFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def thread(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    return html.split('id="comments"', 1)[1]


def test_a_new_comment_shows_at_the_next_view(client, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    CommentFactory(article=article, comment="Premier avis.")
    assert "Premier avis." in thread(client, article)

    with django_capture_on_commit_callbacks(execute=True):
        CommentFactory(article=article, comment="Second avis.")

    assert "Second avis." in thread(client, article)


def test_moderation_shows_at_the_next_view(client, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    comment = CommentFactory(article=article, comment="Un avis à retirer.")
    assert "Un avis à retirer." in thread(client, article)

    # Moderation writes with QuerySet.update(): no post_save, only the comments app's signal.
    moderator = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.comments_remove(comments=XtdComment.objects.filter(pk=comment.pk), moderator=moderator)

    assert "Un avis à retirer." not in thread(client, article)


def test_signed_in_readers_and_visitors_get_their_own_markup(client):
    article = ArticleFactory()
    CommentFactory(article=article)
    assert "comment__flag" not in thread(client, article)

    client.force_login(UserFactory())

    assert "comment__flag" in thread(client, article)


def test_the_reply_form_under_a_comment_is_never_taken_from_the_cache(client):
    article = ArticleFactory()
    comment = CommentFactory(article=article)
    thread(client, article)
    html = client.get(f"{article.get_absolute_url()}?reply_to={comment.pk}").content.decode()
    assert html.count('id="comment-form"') == 1
    assert f'value="{comment.pk}"' in html


def test_visitors_share_the_page_and_its_form_carries_no_ones_token(client):
    article = ArticleFactory()
    CommentFactory(article=article, comment="Premier avis.")
    readers = [Client(), Client()]
    pages = [reader.get(article.get_absolute_url()) for reader in readers]
    assert pages[0].content == pages[1].content
    assert not TOKEN.search(pages[0].content.decode())
    assert all("csrftoken" not in reader.cookies for reader in readers)


@pytest.mark.parametrize("visitor_first", [True, False], ids=["visitor first", "signed-in reader first"])
def test_a_signed_in_readers_details_never_reach_a_visitor(visitor_first):
    article = ArticleFactory()
    CommentFactory(article=article)
    reader = UserFactory(first_name="Zoé", last_name="Lambert")
    visitor, signed_in = Client(), Client()
    signed_in.force_login(reader)
    order = [visitor, signed_in] if visitor_first else [signed_in, visitor]
    pages = {id(who): who.get(article.get_absolute_url()).content.decode() for who in order}

    assert "<strong>Zoé Lambert</strong>" in pages[id(signed_in)]
    assert "comment__flag" in pages[id(signed_in)]
    assert "Zoé Lambert" not in pages[id(visitor)]
    assert "comment__flag" not in pages[id(visitor)]
