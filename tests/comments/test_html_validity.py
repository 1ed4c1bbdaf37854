"""The comment pages a reader can reach are valid HTML (Nu Html Checker), messages and pages included."""

import pytest

from tests.factories import CommentFactory
from tests.html_validator import html_errors, require_validator

pytestmark = pytest.mark.django_db


def test_the_reader_comment_pages_are_valid_html(client, article, post_comment, settings, tmp_path):
    require_validator()
    settings.COMMENTS_THREADS_PER_PAGE = 2
    settings.COMMENTS_RATE_LIMIT = 2
    for n in range(5):
        CommentFactory(article=article, comment=f"Avis {n}")
    url = article.get_absolute_url()
    pages = {
        "second-page-newest-first": client.get(f"{url}?ordre=recents&commentaires=2"),
        "reply-form-on-a-page": client.get(
            f"{url}?commentaires=2&reply_to={CommentFactory(article=article).pk}"
        ),
        "field-errors": post_comment(article, comment="", email="pas-une-adresse"),
        "form-error": post_comment(article, age=0),
        "after-posting": post_comment(article, follow=True),
    }
    post_comment(article, comment="Deux")
    pages["rate-limited"] = post_comment(article, comment="Trois")
    assert pages["rate-limited"].status_code == 429
    errors = html_errors({name: response.content for name, response in pages.items()}, tmp_path)
    assert errors == []
