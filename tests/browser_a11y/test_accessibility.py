"""axe-core on the pages readers use: no serious or critical violation."""

import pytest
from django.urls import Resolver404, resolve

from comments.selectors import public_comments
from demo.discussions import create_demo_discussions
from tests.browser_a11y.conftest import axe_violations
from tests.factories import ArticleFactory, FurtherReadingFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def article(transactional_db):
    ArticleFactory.create_batch(11, tags=["Twitter"])
    article = ArticleFactory(tags=["Twitter", "Communauté"])
    FurtherReadingFactory(article=article)
    return article


def check(page, path):
    page.goto(path)
    violations = axe_violations(page)
    assert violations == [], f"{path}: {violations}"


def test_home_page(axe_page, article):
    check(axe_page, "/")


def test_second_page_of_the_home(axe_page, article):
    check(axe_page, "/?page=2")


def test_article_page_with_its_comment_form(axe_page, article):
    check(axe_page, article.get_absolute_url())


def test_article_page_with_a_threaded_discussion(axe_page, article):
    assert create_demo_discussions(articles=[article])
    check(axe_page, article.get_absolute_url())
    # Without JavaScript, "Reply" opens the form under the comment.
    first = public_comments().filter(object_pk=str(article.pk)).earliest("submit_date")
    check(axe_page, f"{article.get_absolute_url()}?reply_to={first.pk}")


def test_category_tag_and_archive_pages(axe_page, article):
    for path in [
        article.category.get_absolute_url(),
        "/mot-cle/twitter/",
        f"/{article.publication_date:%Y/%m}/",
        article.author.profile.get_absolute_url(),
    ]:
        check(axe_page, path)


def test_not_found_page(axe_page, article):
    check(axe_page, "/page-qui-n-existe-pas/")


def test_search_page(axe_page, article):
    try:
        resolve("/recherche/")
    except Resolver404:
        pytest.skip("search page not installed")
    check(axe_page, "/recherche/?q=twitter")
    check(axe_page, "/recherche/?q=zzzzzz")
