"""In a real chromium: after posting, and after the e-mail's link, the reader sees what became of
their comment where the page lands, under a long article; an invalid field looks invalid."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_BODY = "".join(f"<p>Paragraphe {n} : {'du texte pour remplir la page. ' * 12}</p>" for n in range(40))


@pytest.fixture
def long_article(settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    return ArticleFactory(title="Un très long article", body=LONG_BODY)


def post(page, text):
    form = page.locator("#comment-form")
    form.locator("input[name='name']").fill("Agathe Brun")
    form.locator("input[name='email']").fill("agathe@example.org")
    form.locator("textarea[name='comment']").fill(text)
    with page.expect_navigation():
        form.locator("button[type='submit']").click()


def test_the_outcome_is_in_view_after_posting_and_after_confirming(page, live_server, long_article):
    page.goto(live_server.url + long_article.get_absolute_url())
    post(page, "Un premier avis, sous un long article.")

    assert page.url.endswith("#comments")
    notice = page.locator(".comments__messages")
    expect(notice).to_be_in_viewport()
    # A first comment: the reader learns at once that a moderator comes after the link.
    expect(notice).to_contain_text(re.compile("modérat|moderator"))

    link = re.search(r"(https?://\S+/commentaires/confirm/\S+/)", mail.outbox[-1].body).group(1)
    assert link.startswith(live_server.url), "the link leads to the site that sent it"
    page.goto(link)
    page.wait_for_load_state()
    assert page.url.endswith("#comments")
    expect(page.locator(".comments__messages")).to_be_in_viewport()


def test_a_published_comment_is_in_view_at_its_anchor(page, live_server, long_article, settings):
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    page.goto(live_server.url + long_article.get_absolute_url())
    post(page, "Un avis publié aussitôt confirmé.")
    page.goto(re.search(r"(https?://\S+/commentaires/confirm/\S+/)", mail.outbox[-1].body).group(1))
    page.wait_for_load_state()

    assert re.search(r"#c\d+$", page.url)
    expect(page.locator("li.comment", has_text="Un avis publié aussitôt confirmé.")).to_be_in_viewport()


def test_every_invalid_field_shows_the_error_border(page, live_server, long_article):
    page.goto(live_server.url + long_article.get_absolute_url())
    form = page.locator("#comment-form")
    # What the server says when the browser's own checks are missing or bypassed.
    page.evaluate(
        "document.querySelectorAll('#comment-form [required]').forEach((f) => f.removeAttribute('required'))"
    )
    form.locator("input[name='email']").evaluate("(field) => field.type = 'text'")
    form.locator("input[name='name']").fill(" ")
    form.locator("input[name='email']").fill("pas-une-adresse")
    with page.expect_navigation():
        form.locator("button[type='submit']").click()

    def border(name):
        return page.locator(f"#comment-form [name='{name}']").evaluate(
            "(field) => getComputedStyle(field).borderTopColor"
        )

    invalid = {name: border(name) for name in ("name", "email", "comment")}
    assert len(set(invalid.values())) == 1, invalid
    assert border("url") not in invalid.values(), "a valid field keeps the normal border"
