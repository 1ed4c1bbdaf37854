import pytest
from playwright.sync_api import sync_playwright

from tests.factories import ArticleFactory

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_searches_from_the_header(live_server):
    # Data first: Playwright's sync API runs an event loop, inside which Django refuses queries.
    ArticleFactory(title="Animer une communauté Instagram")
    ArticleFactory(title="Autre sujet", body="<p>Rien à voir.</p>", excerpt="")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(live_server.url + "/")
        search_box = page.get_by_role("search").get_by_role("searchbox")
        search_box.fill("Instagram")
        search_box.press("Enter")
        page.wait_for_url("**/recherche/?q=Instagram")
        titles = page.locator(".search-result__title").all_inner_texts()
        query_kept = page.locator("#search-page-q").input_value()
        browser.close()
    assert titles == ["Animer une communauté Instagram"]
    assert query_kept == "Instagram"
