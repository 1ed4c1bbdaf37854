import datetime

import pytest
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    AuthorProfileFactory,
    CategoryFactory,
    CommentFactory,
)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """As in production (the test settings switch the page cache off for the other tests)."""
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def page_cache_off(settings, page_cache_on):
    """Pages rendered by their views each time (the sidebar and counts stay cached)."""
    settings.PAGE_CACHE_ENABLED = False


def build_blog(*, articles, comments_per_article):
    """A blog with sub-categories, shared keywords and comments; returns the first article.

    Articles are one hour apart, all on the same author, category and keyword so
    that every list page has as many rows as the blog.
    """
    author = AuthorProfileFactory(user__username="auteure").user
    parent = CategoryFactory(name="Stratégie", slug="strategie")
    category = CategoryFactory(name="Réseaux", slug="reseaux", parent=parent)
    now = timezone.now()
    created = []
    for number in range(articles):
        article = ArticleFactory(
            title=f"Billet {number}",
            author=author,
            category=category,
            published_at=now - datetime.timedelta(hours=number + 1),
            tags=["Twitter", f"Sujet {number % 3}"],
        )
        for _ in range(comments_per_article):
            CommentFactory(article=article)
        created.append(article)
    return created[0]


@pytest.fixture(params=["small", "large"])
def blog(request, db, django_capture_on_commit_callbacks):
    """The same blog in two sizes: the query budgets must not depend on it."""
    size = {"small": (3, 1), "large": (15, 2)}[request.param]
    with django_capture_on_commit_callbacks(execute=True):
        return build_blog(articles=size[0], comments_per_article=size[1])
