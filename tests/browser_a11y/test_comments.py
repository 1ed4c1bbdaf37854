"""A reader posts a comment and a reply in a real browser, under the site's Content-Security-Policy."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import ArticleFactory
from tests.security.comments_support import requires_comments, stored_comments

pytestmark = [pytest.mark.browser, requires_comments]


@pytest.fixture
def article(transactional_db, settings):
    # Read at each post: a browser that fills the form in milliseconds is not a bot here,
    # and the first comment of an address shows at once.
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    return ArticleFactory()


def fill_comment_form(page, form, text):
    form.locator("[name=name]").fill("Camille Lectrice")
    form.locator("[name=email]").fill("camille@example.org")
    form.locator("[name=comment]").fill(text)
    with page.expect_navigation():
        form.locator("[type=submit]").first.click()
    expect(page.locator(".comments__messages")).to_be_visible()


def confirm_by_email(page):
    """Open the link of the last confirmation e-mail, as the reader would."""
    path = re.search(r"(/commentaires/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)
    page.goto(path)


def test_reader_posts_a_comment_then_a_reply(page, article):
    page.goto(article.get_absolute_url())
    form = page.locator("form#comment-form")
    expect(form).to_be_visible()
    fill_comment_form(page, form, "Merci pour cet article très clair.")
    confirm_by_email(page)
    assert stored_comments(article).filter(comment="Merci pour cet article très clair.").exists()
    expect(page.get_by_text("Merci pour cet article très clair.")).to_be_visible()

    reply = page.get_by_role("link", name="Répondre").or_(page.get_by_role("link", name="Reply")).first
    reply.click()
    form = page.locator("li.comment form#comment-form")
    expect(form).to_be_visible()
    fill_comment_form(page, form, "Je réponds à ce commentaire.")
    confirm_by_email(page)
    replies = stored_comments(article).filter(comment="Je réponds à ce commentaire.")
    assert replies.get().parent_id == stored_comments(article).get(comment__startswith="Merci").pk
    expect(page.locator("li.comment li.comment", has_text="Je réponds à ce commentaire.")).to_be_visible()
    assert page.csp.violations == []
