"""A writer changes their comment, then deletes it, in a real chromium."""

import re

import pytest
from django.core import mail
from django_comments_xtd.models import XtdComment
from playwright.sync_api import expect

from comments.models import CommentEdit
from tests.browser_fixtures import ARTIFACTS
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_writer_edits_then_deletes_their_comment(live_server, settings, page):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    settings.COMMENTS_EDIT_MINUTES = 15
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    article = ArticleFactory(title="Écrire, puis se relire")
    page.goto(live_server.url + article.get_absolute_url())

    form = page.locator("#comment-form")
    form.locator("input[name='name']").fill("Agathe Brun")
    form.locator("input[name='email']").fill("agathe@example.org")
    form.locator("textarea[name='comment']").fill("Un avis écrit trop vite, avec une fote.")
    form.locator("button[type='submit']").click()
    page.wait_for_load_state()
    path = re.search(r"(/commentaires/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + path)

    # Right after confirming, the private page offers the link, for the window's length.
    link = page.locator(".comments__messages a.comments__edit-link")
    expect(link).to_be_visible()
    assert "15" in link.inner_text()
    link.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "comment-edit-link.png")
    link.click()
    textarea = page.locator("textarea[name='comment']")
    expect(textarea).to_have_value("Un avis écrit trop vite, avec une fote.")
    textarea.fill("Un avis relu, sans faute.")
    page.screenshot(path=ARTIFACTS / "comment-edit-page.png")
    page.locator(".comment-form button[type='submit']").click()
    page.wait_for_load_state()

    comment = page.locator("li.comment", has_text="Un avis relu, sans faute.")
    edited = comment.locator(".comment__edited time")
    expect(edited).to_be_in_viewport()
    assert edited.get_attribute("datetime")
    assert "fote" not in page.locator("#comments").inner_text()
    page.screenshot(path=ARTIFACTS / "comment-edited.png")
    assert CommentEdit.objects.count() == 1

    # The link comes again with the message: the writer deletes the comment.
    page.locator(".comments__messages a.comments__edit-link").click()
    page.locator("a.comment-edit__delete").click()
    page.locator(".comment-delete button[type='submit']").click()
    page.wait_for_load_state()
    expect(page.locator(".comments__messages")).to_be_visible()
    assert page.locator("li.comment", has_text="Un avis relu").count() == 0
    page.screenshot(path=ARTIFACTS / "comment-deleted.png")
    assert not XtdComment.objects.exists()
    assert errors == []
