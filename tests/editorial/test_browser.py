"""In a real browser: an author submits an article, an editor publishes it, readers see it."""

import pytest
from playwright.sync_api import expect

from blog.models import Article
from tests.factories import AuthorUserFactory, EditorUserFactory


def log_in(browser, base_url, username):
    page = browser.new_context(base_url=base_url).new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    expect(page.locator("#editorial-dashboard-title")).to_have_count(1)
    return page


@pytest.mark.browser
def test_author_submits_editor_publishes_readers_see_it(live_server, browser):
    AuthorUserFactory(username="autrice")
    EditorUserFactory(username="editrice")
    title = "Les tendances du podcast en 2026"

    # The author writes and submits; publishing is not among her choices.
    author = log_in(browser, live_server.url, "autrice")
    author.goto("/admin/blog/article/add/")
    status_values = author.locator("#id_status option").evaluate_all("options => options.map(o => o.value)")
    assert status_values == ["draft", "review"]
    author.locator("#id_title").press_sequentially(title)
    expect(author.locator("#id_slug")).to_have_value("les-tendances-du-podcast-en-2026")
    # The body is written in the rich text editor.
    body = author.frame_locator("#id_body_ifr").locator("body")
    expect(body).to_be_editable(timeout=15_000)
    body.click()
    author.keyboard.type("Le podcast continue de grandir.")
    author.select_option("#id_status", "review")
    author.click("input[name=_save]")
    expect(author.locator(".messagelist .success")).to_have_count(1)
    article = Article.objects.get(title=title)
    assert article.status == Article.Status.REVIEW

    # Not online yet.
    home = browser.new_page()
    home.goto(live_server.url + "/")
    expect(home.get_by_text(title)).to_have_count(0)

    # The editor finds it in the review queue on the dashboard and publishes it.
    editor = log_in(browser, live_server.url, "editrice")
    expect(editor.locator("#dashboard-review").get_by_text(title)).to_be_visible()
    editor.goto("/admin/blog/article/?state=review")
    editor.locator(f"input.action-select[value='{article.pk}']").check()
    editor.select_option("select[name=action]", "publish")
    editor.click("button[name=index]")
    expect(editor.locator(".messagelist .success")).to_contain_text("1")

    home.goto(live_server.url + "/")
    expect(home.get_by_text(title).first).to_be_visible()
    home.get_by_role("link", name=title).first.click()
    expect(home.locator("h1")).to_have_text(title)


@pytest.mark.browser
def test_the_article_and_comment_lists_fit_the_screen_at_1280_px(live_server, browser, artifacts):
    from tests.factories import ArticleFactory, CommentFactory

    EditorUserFactory(username="editrice", is_superuser=True)
    long_title = "Communication de crise sur les réseaux sociaux : tout se joue dans la première heure"
    for number in range(3):
        article = ArticleFactory(title=f"{long_title} ({number})")
        CommentFactory(article=article, user_email="une.adresse.assez.longue@exemple-de-domaine.fr")
        CommentFactory(article=article, is_public=False)
    ArticleFactory(scheduled=True, title="Bilan de l’année")
    page = log_in(browser, live_server.url, "editrice")
    page.set_viewport_size({"width": 1280, "height": 900})
    for name, url in [
        ("articles", "/admin/blog/article/"),
        ("comments", "/admin/django_comments_xtd/xtdcomment/"),
    ]:
        page.goto(url)
        table = page.locator("#result_list").bounding_box()
        column = page.locator("#changelist-form").bounding_box()
        page.screenshot(path=artifacts / f"admin-{name}-1280.png")
        assert table["width"] <= column["width"] + 1, name
        # Every column is readable: none is squeezed to a few letters a line.
        widths = page.locator("#result_list thead th").evaluate_all(
            "cells => cells.slice(1).map(cell => cell.getBoundingClientRect().width)"
        )
        assert min(widths) >= 44, (name, widths)
    page.goto("/admin/blog/article/")
    expect(page.get_by_text("Programmé pour le")).to_be_visible()
