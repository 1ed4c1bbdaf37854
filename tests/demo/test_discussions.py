"""The demo discussions: threaded, French, some pending, one voice of the author, idempotent."""

from io import StringIO

import pytest
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from comments import selectors
from demo.discussions import create_demo_discussions
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_demo_discussions_are_threaded_and_idempotent(client):
    articles = ArticleFactory.create_batch(3)
    draft = ArticleFactory(draft=True)
    out = StringIO()

    created = create_demo_discussions(articles=[*articles, draft], stdout=out)

    assert created == XtdComment.objects.count() > 15
    assert f"{created} comments added" in out.getvalue()
    assert not selectors.article_comments(draft).exists()
    assert set(XtdComment.objects.values_list("level", flat=True)) == {0, 1, 2, 3}
    assert selectors.comments_awaiting_moderation().count() == 3
    for article in articles:
        by_author = selectors.article_comments(article).filter(user=article.author)
        assert by_author.exists()
        html = client.get(article.get_absolute_url()).content.decode()
        assert "comment--author" in html

    assert create_demo_discussions(articles=articles) == 0
    assert XtdComment.objects.count() == created


def test_demo_dates_follow_the_article_and_stay_in_the_past():
    article = ArticleFactory()
    create_demo_discussions(articles=[article])
    dates = list(selectors.article_comments(article).values_list("submit_date", flat=True))
    assert min(dates) > article.published_at
    assert max(dates) < timezone.now()
