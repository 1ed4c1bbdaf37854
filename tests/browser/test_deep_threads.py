"""A conversation fourteen replies deep stays readable on a phone."""

from tests.factories import ArticleFactory

DEPTH = 14


def test_deep_thread_keeps_its_width_on_a_phone(
    transactional_db, live_server, phone_page, thread_levels, make_comment, artifacts
):
    thread_levels(DEPTH)
    article = ArticleFactory(title="Une longue conversation")
    parent = None
    for n in range(DEPTH + 1):
        parent = make_comment(
            article, f"Message de niveau {n}, assez long pour passer sur plusieurs lignes.", parent=parent
        )
    phone_page.goto(live_server.url + article.get_absolute_url())
    deepest = phone_page.get_by_text(f"Message de niveau {DEPTH},")
    deepest.scroll_into_view_if_needed()
    phone_page.screenshot(path=str(artifacts / "deep-thread-390.png"))
    third = phone_page.get_by_text("Message de niveau 3,").bounding_box()
    box = deepest.bounding_box()
    assert (box["x"], box["width"]) == (third["x"], third["width"])  # no indentation after the third level
    assert box["width"] > 200
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
