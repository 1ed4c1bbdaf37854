"""The thread's markup is kept between views, and every change to it shows at once."""

import pytest
from django_comments_xtd.models import XtdComment

from comments import services
from tests.factories import ArticleFactory, CommentFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


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
