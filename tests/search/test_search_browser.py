import pytest

from tests.factories import ArticleFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_searches_from_the_header(live_server, page):
    ArticleFactory(title="Animer une communauté Instagram")
    ArticleFactory(title="Autre sujet", body="<p>Rien à voir.</p>", excerpt="")

    page.goto(live_server.url + "/")
    search_box = page.get_by_role("search").get_by_role("searchbox")
    search_box.fill("Instagram")
    search_box.press("Enter")
    page.wait_for_url("**/recherche/?q=Instagram")

    assert page.locator(".search-result__title").all_inner_texts() == ["Animer une communauté Instagram"]
    assert page.locator("#search-page-q").input_value() == "Instagram"
