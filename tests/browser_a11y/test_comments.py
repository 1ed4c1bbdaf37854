"""A reader posts a comment and a reply in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.factories import ArticleFactory
from tests.security.comments_support import requires_comments, stored_comments

pytestmark = [pytest.mark.browser, requires_comments]


@pytest.fixture
def article(transactional_db):
    return ArticleFactory()


def fill_comment_form(form, text):
    form.locator("[name=name]").fill("Camille Lectrice")
    form.locator("[name=email]").fill("camille@example.org")
    form.locator("[name=comment]").fill(text)
    form.locator("[type=submit]:not([name=preview])").first.click()


def test_reader_posts_a_comment_then_a_reply(page, article):
    page.goto(article.get_absolute_url())
    form = page.locator("form[action*=comment]").first
    expect(form).to_be_visible()
    fill_comment_form(form, "Merci pour cet article très clair.")
    assert stored_comments(article).filter(comment="Merci pour cet article très clair.").exists()
    page.goto(article.get_absolute_url())
    expect(page.get_by_text("Merci pour cet article très clair.")).to_be_visible()

    reply = page.get_by_role("link", name="Répondre").or_(page.get_by_role("link", name="Reply")).first
    reply.click()
    form = page.locator("form[action*=comment]").last
    fill_comment_form(form, "Je réponds à ce commentaire.")
    replies = stored_comments(article).filter(comment="Je réponds à ce commentaire.")
    assert replies.exists()
    assert page.csp.violations == []
