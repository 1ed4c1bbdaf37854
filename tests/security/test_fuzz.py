"""Random and hostile values in every address parameter of the public pages: never a 500, never echoed raw."""

from urllib.parse import quote

import pytest
from hypothesis import given

from tests.factories import ArticleFactory
from tests.security.fuzz import FUZZ, hostile_text
from tests.security.payloads import assert_no_raw_markup


@pytest.fixture
def article(db):
    return ArticleFactory(tags=["Twitter"])


@FUZZ
@given(value=hostile_text)
def test_fuzzed_page_parameter(client, article, value):
    for path in ["/", article.category.get_absolute_url(), "/mot-cle/twitter/"]:
        response = client.get(path, {"page": value, "autre": value})
        assert response.status_code in (200, 400, 404), (path, value, response.status_code)
        assert_no_raw_markup(response.content.decode(), value)


@FUZZ
@given(value=hostile_text)
def test_fuzzed_path_segments(client, article, value):
    segment = quote(value, safe="") or "x"
    for path in [
        f"/categorie/{segment}/",
        f"/mot-cle/{segment}/",
        f"/auteur/{segment}/",
        f"{article.publication_date:/%Y/%m/%d}/{segment}/",
        f"/{segment}/",
    ]:
        response = client.get(path)
        assert response.status_code in (301, 302, 400, 404), (path, response.status_code)
        assert_no_raw_markup(response.content.decode(), value)
