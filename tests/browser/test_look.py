"""What the pages look like: styles applied, no overflow, screenshots to look at.

The screenshots land in test-artifacts/ (git-ignored) for a person to check.
"""

import pytest

from blog.models import Article

pytestmark = pytest.mark.browser

ARTICLE_SLUG = "communication-de-crise-la-premiere-heure"


def overflow(page):
    """How many pixels the page is wider than the window (a horizontal scrollbar)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_home_and_article_pages_are_styled(demo_site, page, artifacts):
    page.goto(demo_site)
    header_rule = page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderTopColor")
    assert header_rule == "rgb(194, 65, 12)", "the stylesheet did not load"
    assert page.locator(".card--lead .featured-image img").is_visible()
    sidebar = page.locator(".sidebar").bounding_box()
    content = page.locator(".content").bounding_box()
    assert sidebar["x"] > content["x"] + content["width"], "the sidebar should sit beside the articles"
    assert overflow(page) <= 0
    page.screenshot(path=artifacts / "home.png", full_page=True)

    page.goto(demo_site + Article.objects.get(slug=ARTICLE_SLUG).get_absolute_url())
    assert page.locator(".article__body blockquote").is_visible()
    assert overflow(page) <= 0
    page.screenshot(path=artifacts / "article.png", full_page=True)

    assert (artifacts / "home.png").stat().st_size > 10_000
    assert (artifacts / "article.png").stat().st_size > 10_000


def test_pages_fit_a_phone_screen(demo_site, phone_page, artifacts):
    phone_page.goto(demo_site)
    assert overflow(phone_page) <= 0
    sidebar = phone_page.locator(".sidebar").bounding_box()
    content = phone_page.locator(".content").bounding_box()
    assert sidebar["y"] >= content["y"] + content["height"], "the sidebar should go below the articles"
    phone_page.screenshot(path=artifacts / "home-phone.png", full_page=True)

    phone_page.goto(demo_site + Article.objects.get(slug=ARTICLE_SLUG).get_absolute_url())
    assert overflow(phone_page) <= 0
    phone_page.screenshot(path=artifacts / "article-phone.png", full_page=True)
