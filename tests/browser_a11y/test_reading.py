"""A reader in a real browser: reading, paginating, with and without JavaScript, keyboard focus."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ArticleFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def articles(transactional_db):
    return ArticleFactory.create_batch(12, tags=["Twitter"])


def test_reader_opens_an_article_from_the_home_page(page, articles):
    page.goto("/")
    newest = articles[-1]
    page.get_by_role("link", name=newest.title).first.click()
    expect(page).to_have_url(re.compile(re.escape(newest.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(newest.title)
    assert page.csp.violations == []


def test_reader_goes_to_older_articles_and_back(page, articles):
    page.goto("/")
    page.locator("a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(page.get_by_role("link", name=articles[0].title).first).to_be_visible()
    page.locator("a[rel=prev]").click()
    expect(page.get_by_role("link", name=articles[-1].title).first).to_be_visible()
    assert page.csp.violations == []


def test_the_site_works_without_javascript(page_without_js, articles):
    page = page_without_js
    page.goto("/")
    page.locator("a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    page.get_by_role("link", name=articles[0].title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(articles[0].title)


def test_keyboard_focus_is_visible(page, articles):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate_handle("document.activeElement")
    # The first stop is the skip link, which appears when focused.
    assert focused.evaluate("el => el.classList.contains('skip-link')")
    box = focused.bounding_box()
    assert box and box["x"] >= 0 and box["width"] > 1
    for _ in range(3):
        page.keyboard.press("Tab")
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow}; }"
        )
        assert (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] != "none", style
