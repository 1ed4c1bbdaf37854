"""What a reader sees of the comment form at three widths, screenshots in test-artifacts/ for a
person to look at: the empty form, the form with errors, the e-mail to confirm, the comment
held for moderation, the comment published. None of them is wider than the window, and each
message is shown where the reader lands.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from blog.models import Article
from tests.browser.test_standards import serve_media

ARTICLE = "communication-de-crise-la-premiere-heure"
WIDTHS = [390, 768, 1280]


@pytest.fixture
def open_comments(settings):
    # Read at each post: a browser fills the form in milliseconds, and posts more often than a reader.
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 0


def no_overflow(page, state):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{state}: {overflow}px wider than the window"


def signed_form(page, url):
    page.goto(url)
    form = page.locator("form#comment-form")
    # The shared page's form gets this reader's signed timestamp from comments.js.
    expect(form.locator("input[name=timestamp]")).not_to_have_value("")
    return form


def post(page, form, *, email, text):
    form.locator("[name=name]").fill("Camille Lectrice")
    form.locator("[name=email]").fill(email)
    form.locator("[name=comment]").fill(text)
    with page.expect_navigation():
        form.locator("[type=submit]").click()


def confirm_by_email(page):
    path = re.search(r"(/commentaires/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)
    page.goto(path)


def shoot(page, artifacts, state, width, locator=None):
    no_overflow(page, state)
    target = artifacts / f"comments-{state}-{width}.png"
    if locator is None:
        page.screenshot(path=target)
    else:
        locator.scroll_into_view_if_needed()
        locator.screenshot(path=target)
    assert target.stat().st_size > 5_000


def test_comment_states_at_three_widths(demo_site, browser, artifacts, open_comments, settings):
    url = Article.objects.get(slug=ARTICLE).get_absolute_url()
    for width in WIDTHS:
        context = serve_media(
            browser.new_context(base_url=demo_site, viewport={"width": width, "height": 900}, locale="fr-FR")
        )
        try:
            comment_states(context.new_page(), url, artifacts, settings, width)
        finally:
            context.close()


def comment_states(page, url, artifacts, settings, width):
    form = signed_form(page, url)
    shoot(page, artifacts, "form-empty", width, form)

    # The browser's own checks are left out, so that the server's messages show.
    form.evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    expect(page.locator(".field--error")).to_have_count(3)
    expect(page.locator(".field__error").first).to_be_in_viewport()
    shoot(page, artifacts, "form-errors", width, page.locator("section#comments"))

    settings.COMMENTS_PREMODERATE_FIRST_TIME = True
    post(page, signed_form(page, url), email=f"new-{width}@example.org", text="Première fois ici.")
    messages = page.locator(".comments__messages")
    expect(messages).to_be_in_viewport()
    shoot(page, artifacts, "confirm-email", width)
    confirm_by_email(page)
    expect(messages).to_be_in_viewport()
    expect(page.locator(".comment-pending")).to_contain_text("Première fois ici.")
    shoot(page, artifacts, "held", width)

    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    post(page, signed_form(page, url), email=f"known-{width}@example.org", text="Et de deux.")
    confirm_by_email(page)
    # The reader lands on their comment, highlighted; the thanks are at the top of the discussion.
    expect(page.locator("li.comment:target", has_text="Et de deux.")).to_be_in_viewport()
    shoot(page, artifacts, "published", width)
    expect(messages).to_contain_text("en ligne")
    shoot(page, artifacts, "published-message", width, messages)
