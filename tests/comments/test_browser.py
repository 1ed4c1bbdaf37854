"""A reader posts a comment, then a reply in place, in a real chromium."""

import re
from contextlib import contextmanager

import pytest
from django.core import mail

from demo.discussions import create_demo_discussions
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@contextmanager
def chromium(browser):
    """A fresh tab in the shared Debian chromium, failing the test on any JavaScript error."""
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert errors == []


def confirm_last_mail(page, live_server):
    path = re.search(r"(/commentaires/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + path)


def test_a_reader_posts_a_comment_then_a_reply_in_place(live_server, settings, browser):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    article = ArticleFactory(title="Les communautés en ligne")
    create_demo_discussions(articles=[article])
    url = live_server.url + article.get_absolute_url()
    with chromium(browser) as page:
        post_then_reply(page, live_server, url)


def post_then_reply(page, live_server, url):
    page.goto(url)
    form = page.locator("#comment-form")
    form.locator("input[name='name']").fill("Agathe Brun")
    form.locator("input[name='email']").fill("agathe@example.org")
    form.locator("textarea[name='comment']").fill("Un premier avis, posté depuis un vrai navigateur.")
    form.get_by_role("button", name="Envoyer le commentaire").click()
    page.wait_for_load_state()
    assert "nous vous avons envoyé un e-mail" in page.locator(".comments__messages").inner_text()

    confirm_last_mail(page, live_server)
    comment = page.locator("li.comment", has_text="Un premier avis, posté depuis un vrai navigateur.")
    comment.first.wait_for()
    assert "Agathe Brun" in comment.first.inner_text()

    # With JavaScript, "Reply" moves the form under the comment without loading a page.
    page.evaluate("window.__samePage = true")
    comment.first.locator(".comment__reply").first.click()
    moved = comment.first.locator("#comment-form")
    moved.wait_for()
    assert page.evaluate("window.__samePage") is True
    assert "Répondre à Agathe Brun" in moved.locator("h3").inner_text()
    assert page.locator("#comment-form-home #comment-form").count() == 0

    moved.locator("input[name='name']").fill("Bastien Roy")
    moved.locator("input[name='email']").fill("bastien@example.org")
    moved.locator("textarea[name='comment']").fill("Une réponse, ouverte sous le commentaire.")
    moved.get_by_role("button", name="Envoyer le commentaire").click()
    page.wait_for_load_state()
    confirm_last_mail(page, live_server)

    reply = page.locator("li.comment li.comment", has_text="Une réponse, ouverte sous le commentaire.")
    reply.first.wait_for()
    parent = page.locator("li.comment", has_text="Un premier avis").first
    assert parent.locator("ol.comment-list--nested", has_text="Une réponse, ouverte").count() == 1


def test_cancel_reply_brings_the_form_back(live_server, browser):
    article = ArticleFactory()
    create_demo_discussions(articles=[article])
    with chromium(browser) as page:
        page.goto(live_server.url + article.get_absolute_url())
        page.locator(".comment__reply").first.click()
        page.locator("li.comment #comment-form").wait_for()
        page.get_by_role("link", name="Annuler la réponse").click()
        assert page.locator("#comment-form-home #comment-form").count() == 1
        assert page.locator("#comment-form input[name='reply_to']").input_value() == "0"
