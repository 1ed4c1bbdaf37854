"""The article's writing screen in a real browser: autosave, restoring a draft, the live preview."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from editorial.models import ArticleAutosave
from tests.browser_a11y.conftest import AXE_SCRIPT, axe_violations
from tests.browser_fixtures import DESKTOP, PHONE
from tests.factories import ArticleFactory, EditorUserFactory

TYPED = "Une phrase tapée pour le brouillon."


@pytest.fixture(autouse=True)
def site_language():
    """The texts expected are those the site shows, whatever language an earlier test left active."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def prefix(msgid):
    """The translated message up to its first placeholder."""
    return gettext(msgid).split("%(")[0]


def open_form(browser, base_url, path, *, viewport=DESKTOP, bypass_csp=False):
    context = browser.new_context(
        base_url=base_url,
        viewport=viewport,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        bypass_csp=bypass_csp,
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.csp_errors = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.csp_errors.append(message.text),
    )
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "editrice")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()
    page.goto(path)
    expect(page.frame_locator("#id_body_ifr").locator("body")).to_be_editable()
    return context, page


def settle(page):
    """Wait for the autosave of what was typed: nothing reaches the server once the test is over."""
    expect(page.locator("#writing-autosave-status")).to_contain_text(
        prefix("Draft saved at %(time)s"), timeout=20_000
    )


@pytest.fixture
def editor(transactional_db):
    return EditorUserFactory(username="editrice")


@pytest.fixture
def article(editor):
    return ArticleFactory(title="Un article en chantier", body="<p>Le début du texte.</p>", draft=True)


def test_typing_autosaves_and_the_draft_comes_back_after_closing_the_tab(
    browser, live_server, editor, article
):
    change = reverse("admin:blog_article_change", args=[article.pk])
    context, page = open_form(browser, live_server.url, change)
    # "Le début du texte.": four words, a minute's reading.
    expect(page.locator("#writing-stats")).to_contain_text(gettext("%(count)s words") % {"count": 4})

    body = page.frame_locator("#id_body_ifr").locator("body")
    body.click()
    page.keyboard.press("End")
    page.keyboard.type(" " + TYPED)

    status = page.locator("#writing-autosave-status")
    expect(status).to_contain_text(prefix("Draft saved at %(time)s"), timeout=20_000)
    assert TYPED in ArticleAutosave.objects.get(article=article).data["body"]
    article.refresh_from_db()
    assert TYPED not in article.body
    assert page.csp_errors == []
    context.close()

    # A new tab: the form shows the saved article and offers the draft back.
    context, page = open_form(browser, live_server.url, change)
    body = page.frame_locator("#id_body_ifr").locator("body")
    expect(body).not_to_contain_text(TYPED)
    restore = page.locator("#writing-restore")
    expect(restore).to_contain_text(prefix("Restore the autosaved draft of %(time)s"))
    restore.click()
    expect(body).to_contain_text(TYPED)
    expect(page.locator("#writing-notice")).to_be_hidden()
    settle(page)
    context.close()


def test_without_a_connection_the_browser_keeps_the_text(browser, live_server, editor, article):
    change = reverse("admin:blog_article_change", args=[article.pk])
    context, page = open_form(browser, live_server.url, change)
    # The server cannot be reached for autosaves.
    context.route("**/autosave/", lambda route: route.abort())
    body = page.frame_locator("#id_body_ifr").locator("body")
    body.click()
    page.keyboard.press("End")
    page.keyboard.type(" " + TYPED)
    status = page.locator("#writing-autosave-status")
    expect(status).to_contain_text(prefix("Autosave failed"), timeout=20_000)
    assert not ArticleAutosave.objects.exists()
    page.close()

    # The tab was closed: a new one in the same browser offers the copy it kept.
    page = context.new_page()
    page.goto(change)
    restore = page.locator("#writing-restore")
    expect(restore).to_contain_text(prefix("Restore the draft kept in this browser at %(time)s"))
    context.unroute("**/autosave/")
    restore.click()
    expect(page.frame_locator("#id_body_ifr").locator("body")).to_contain_text(TYPED)
    settle(page)
    assert TYPED in ArticleAutosave.objects.get(article=article).data["body"]
    context.close()


def test_a_save_by_someone_else_meanwhile_is_said_and_the_text_is_kept(browser, live_server, editor, article):
    change = reverse("admin:blog_article_change", args=[article.pk])
    context, page = open_form(browser, live_server.url, change)
    # Meanwhile, a colleague saves the article.
    article.title = "Changé par une collègue"
    article.save()
    article.revisions.create(user=article.author, data={"title": article.title})

    body = page.frame_locator("#id_body_ifr").locator("body")
    body.click()
    page.keyboard.press("End")
    page.keyboard.type(" " + TYPED)

    notice = page.locator("#writing-notice")
    expect(notice).to_be_visible(timeout=20_000)
    expect(notice).to_contain_text(
        prefix(
            "This article was changed by %(name)s at %(time)s: your draft is kept, reload "
            "the page to see their version and restore your draft."
        )
    )
    expect(notice).to_have_attribute("role", "alert")
    expect(body).to_contain_text(TYPED)
    assert TYPED in ArticleAutosave.objects.get(article=article).data["body"]
    article.refresh_from_db()
    assert TYPED not in article.body
    context.close()


def test_the_live_preview_shows_the_unsaved_text_at_both_widths(browser, live_server, editor, article):
    change = reverse("admin:blog_article_change", args=[article.pk])
    context, page = open_form(browser, live_server.url, change)
    page.fill("#id_title", "Un titre pas encore enregistré")
    body = page.frame_locator("#id_body_ifr").locator("body")
    body.click()
    page.keyboard.press("End")
    page.keyboard.type(" " + TYPED)

    page.click("#writing-preview-button")
    panel = page.locator("#writing-preview")
    expect(panel).to_be_visible()
    preview = page.frame_locator("#writing-preview-frame")
    expect(preview.locator(".article__body")).to_contain_text(TYPED)
    expect(preview.locator("h1.article__title")).to_contain_text("Un titre pas encore enregistré")
    frame = page.locator("#writing-preview-frame")
    expect(frame).to_have_attribute("data-width", "1280")
    assert float(frame.get_attribute("data-scale")) < 1

    page.get_by_role("button", name=gettext("Phone")).click()
    expect(frame).to_have_attribute("data-width", "390")
    inner_width = page.frame("article-live-preview").evaluate("window.innerWidth")
    assert inner_width == 390
    settle(page)

    # The preview saved nothing, and the page broke no rule of the policy.
    article.refresh_from_db()
    assert article.title == "Un article en chantier"
    assert page.csp_errors == []
    context.close()


def test_the_writing_screen_at_1280_px_and_its_accessibility(
    browser, live_server, editor, article, artifacts
):
    change = reverse("admin:blog_article_change", args=[article.pk])
    context, page = open_form(browser, live_server.url, change, bypass_csp=True)
    main = page.locator(".writing-layout__main").bounding_box()
    side = page.locator(".writing-layout__side").bounding_box()
    # Two columns: the text on the left, wider than the side panel on its right.
    assert side["x"] > main["x"] + main["width"] - 1
    assert main["width"] > 1.5 * side["width"]
    shot = artifacts / "writing-screen-1280.png"
    page.screenshot(path=str(shot), full_page=False)
    if AXE_SCRIPT.exists():
        # The admin's own widgets are not ours to fix; our markup must be clean.
        ours = [v for v in axe_violations(page) if any("writing" in str(node) for node in v["nodes"])]
        assert ours == []
    context.close()


def test_under_1024_px_the_form_is_one_column(browser, live_server, editor, article):
    change = reverse("admin:blog_article_change", args=[article.pk])
    context, page = open_form(browser, live_server.url, change, viewport=PHONE)
    main = page.locator(".writing-layout__main").bounding_box()
    side = page.locator(".writing-layout__side").bounding_box()
    assert side["y"] >= main["y"] + main["height"] - 1
    context.close()


def test_publish_now_from_the_side_panel(browser, live_server, editor, article):
    change = reverse("admin:blog_article_change", args=[article.pk])
    context, page = open_form(browser, live_server.url, change)
    page.click("#writing-publish-now")
    expect(page.locator("#id_status")).to_have_value("published")
    expect(page.locator("#id_published_at_0")).to_have_value("")
    expect(page.locator("#writing-publication-hint")).to_have_text(
        gettext("The article goes online when you save.")
    )
    before = timezone.now()
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.status == "published" and article.published_at >= before - datetime.timedelta(seconds=1)
    assert not ArticleAutosave.objects.exists()
    context.close()
