"""In chromium, through the real admin: a moderator works the comment queue without leaving it."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_comments_xtd.models import XtdComment
from playwright.sync_api import expect

from editorial.roles import EDITOR
from tests.browser_fixtures import ARTIFACTS
from tests.factories import ArticleFactory, CommentFactory, ModeratorUserFactory, role_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def site_language():
    """The texts expected are those the site shows, whatever language an earlier test left active."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


QUEUE = "/admin/django_comments_xtd/xtdcomment/"
SCREENSHOT = ARTIFACTS / "moderation-queue-1280.png"


def minutes_ago(minutes):
    return timezone.now() - datetime.timedelta(minutes=minutes)


@pytest.fixture
def queue(live_server, page):
    """A moderator who is also an editor, signed in on the queue; fails the test on a script
    error or a CSP refusal."""
    moderator = ModeratorUserFactory(username="moderatrice", first_name="Maud", last_name="Modère")
    moderator.groups.add(role_group(EDITOR))
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(f"{live_server.url}/admin/login/?next={QUEUE}")
    page.fill("#id_username", "moderatrice")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(f"**{QUEUE}")
    yield page
    assert problems == []


def row_of(page, comment):
    return page.locator(
        "#result_list tbody tr", has=page.locator(f"input.action-select[value='{comment.pk}']")
    )


def test_a_moderator_approves_marks_spam_and_replies_from_the_queue(queue, live_server):
    page = queue
    article = ArticleFactory(title="Les communautés en ligne")
    pending = CommentFactory(
        article=article, user_name="Zoé", comment="Un premier avis, à valider.", is_public=False,
        submit_date=minutes_ago(1),
    )  # fmt: skip
    spammy = CommentFactory(
        article=article,
        user_name="Promo",
        comment="Achetez des abonnés pas chers",
        submit_date=minutes_ago(2),
    )
    question = CommentFactory(
        article=article,
        user_name="Bruno",
        comment="Quelle source pour ce chiffre ?",
        submit_date=minutes_ago(3),
    )
    CommentFactory(
        article=article, user_name="Chloé", comment="Je me posais la même question.", parent_id=question.pk,
        submit_date=minutes_ago(4),
    )  # fmt: skip
    CommentFactory(
        article=article, user_name="Yann Le Goff-Kerbrat", user_email="yann.legoff-kerbrat@exemple-long.org",
        comment="Un avis qui attend encore, pour voir une ligne avec ses trois boutons.", is_public=False,
        submit_date=minutes_ago(5),
    )  # fmt: skip
    page.goto(f"{live_server.url}{QUEUE}")
    page.evaluate("window.__samePage = true")
    live = page.locator("#moderation-live")

    # The row button approves without reloading; the row and the live region say so.
    row = row_of(page, pending)
    row.get_by_role("button", name=gettext("Approve")).click()
    expect(live).to_contain_text(gettext("The comment by %(name)s is approved.") % {"name": "Zoé"})
    expect(row.locator(".status--public")).to_be_visible()
    expect(row.locator("button[data-moderation=approve]")).to_have_count(0)
    assert page.evaluate("window.__samePage") is True
    pending.refresh_from_db()
    assert pending.is_public

    # The reply's row shows what it answers.
    reply_line = gettext("In reply to {name}: “{start}”").format(name="Bruno", start=question.comment)
    expect(page.locator("#result_list")).to_contain_text(reply_line)

    # Keyboard: the approved row stays the current one; j moves to the next row
    # (focused, visibly), s marks it as spam.
    expect(row).to_have_class("moderation-current")
    page.locator("#content h1").click()
    page.keyboard.press("j")
    spam_row = row_of(page, spammy)
    expect(spam_row).to_be_focused()
    expect(spam_row).to_have_class("moderation-current")
    outline = spam_row.evaluate("row => getComputedStyle(row).outlineStyle")
    assert outline != "none"
    page.keyboard.press("s")
    expect(live).to_contain_text(gettext("The comment by %(name)s is marked as spam.") % {"name": "Promo"})
    expect(spam_row.locator(".status--spam")).to_be_visible()
    assert page.evaluate("window.__samePage") is True

    # ? shows the list of shortcuts.
    question_row = row_of(page, question)
    help_list = page.locator("#moderation-shortcuts")
    assert help_list.evaluate("details => details.open") is False
    page.keyboard.press("?")
    assert help_list.evaluate("details => details.open") is True
    page.keyboard.press("?")

    # e opens the reply form of the focused row; typing shortcut letters there only types.
    page.keyboard.press("j")
    expect(question_row).to_be_focused()
    page.keyboard.press("e")
    textarea = question_row.locator("textarea")
    expect(textarea).to_be_focused()
    answer = "Bonjour Bruno, la source est jointe : rapport annuel, page 12."
    page.keyboard.type(answer)
    expect(textarea).to_have_value(answer)
    expect(question_row).to_have_class("moderation-current")

    # At 1280 px, with a reply form open, nothing overflows.
    page.set_viewport_size({"width": 1280, "height": 900})
    overflow = page.evaluate(
        """() => [document.documentElement, document.querySelector('#changelist .results')]
            .map(box => box.scrollWidth - box.clientWidth)"""
    )
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert overflow[0] <= 0, f"the page is {overflow[0]}px wider than the window"
    assert overflow[1] <= 0, f"the list is {overflow[1]}px wider than its box"

    question_row.get_by_role("button", name=gettext("Post the reply")).click()
    page.wait_for_load_state()
    expect(page.locator(".messagelist .success")).to_contain_text(
        gettext("Your reply to %(name)s is published.") % {"name": "Bruno"}
    )
    reply = XtdComment.objects.get(comment=answer)
    assert (reply.parent_id, reply.user_name, reply.is_public) == (question.pk, "Maud Modère", True)

    # The reply is on the public page, threaded under the question.
    page.locator(".messagelist .success a").click()
    page.wait_for_load_state()
    expect(page.locator(f"#c{reply.pk}")).to_contain_text(answer)
    expect(page.locator(f"#c{question.pk}")).to_contain_text(answer)


def test_without_javascript_the_row_buttons_and_reply_are_plain_form_posts(live_server, browser):
    ModeratorUserFactory(username="moderatrice", first_name="Maud", last_name="Modère")
    article = ArticleFactory(title="Les communautés en ligne")
    pending = CommentFactory(article=article, user_name="Zoé", is_public=False, submit_date=minutes_ago(1))
    question = CommentFactory(article=article, user_name="Bruno", submit_date=minutes_ago(2))
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/admin/login/?next={QUEUE}")
        page.fill("#id_username", "moderatrice")
        page.fill("#id_password", "password")
        page.click("input[type=submit]")
        page.goto(f"{live_server.url}{QUEUE}?state=pending")

        row_of(page, pending).get_by_role("button", name=gettext("Approve")).click()
        page.wait_for_load_state()
        assert page.url == f"{live_server.url}{QUEUE}?state=pending"
        expect(page.locator(".messagelist .success")).to_contain_text(
            gettext("The comment by %(name)s is approved.") % {"name": "Zoé"}
        )
        pending.refresh_from_db()
        assert pending.is_public

        page.goto(f"{live_server.url}{QUEUE}")
        row = row_of(page, question)
        row.locator("details.moderation-reply summary").click()
        row.locator("textarea").fill("Réponse sans JavaScript.")
        row.get_by_role("button", name=gettext("Post the reply")).click()
        page.wait_for_load_state()
        expect(page.locator(".messagelist .success")).to_contain_text(
            gettext("Your reply to %(name)s is published.") % {"name": "Bruno"}
        )
        assert XtdComment.objects.get(comment="Réponse sans JavaScript.").parent_id == question.pk
    finally:
        context.close()
