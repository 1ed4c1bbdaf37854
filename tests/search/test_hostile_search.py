"""Scanners on the search page: any query gives a results page or a 4xx, echoed escaped."""

import pytest
from django.urls import Resolver404, resolve
from hypothesis import given

from tests.factories import ArticleFactory
from tests.security.fuzz import FUZZ, hostile_text
from tests.security.payloads import ALL, assert_no_raw_markup

SEARCH_PATH = "/recherche/"


def search_installed():
    try:
        resolve(SEARCH_PATH)
    except Resolver404:
        return False
    return True


pytestmark = pytest.mark.skipif(not search_installed(), reason="search page not installed")


@pytest.fixture
def articles(db):
    return [ArticleFactory(title=f"Stratégie Twitter, épisode {n}") for n in range(3)]


@pytest.mark.parametrize("query", ALL)
def test_hostile_queries_are_answered_and_escaped(client, articles, query):
    response = client.get(SEARCH_PATH, {"q": query})
    assert response.status_code in (200, 400), response.status_code
    assert_no_raw_markup(response.content.decode(), query)


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1e9", "<script>alert(1)</script>"])
def test_hostile_page_numbers_on_search(client, articles, page):
    response = client.get(SEARCH_PATH, {"q": "twitter", "page": page})
    assert response.status_code in (200, 404)
    assert_no_raw_markup(response.content.decode(), page)


@pytest.mark.parametrize("query", ["q=%FF%FE", "q=%C3%28", "q=a&q=b", "q", "q=" + "a" * 10000])
def test_odd_query_strings_on_search(client, articles, query):
    assert client.get(f"{SEARCH_PATH}?{query}").status_code in (200, 400)


def test_nul_in_the_query_is_400(client, articles):
    assert client.get(f"{SEARCH_PATH}?q=a%00b").status_code == 400


@FUZZ
@given(query=hostile_text)
def test_fuzzed_search(client, articles, query):
    response = client.get(SEARCH_PATH, {"q": query})
    assert response.status_code in (200, 400), (query, response.status_code)
    assert_no_raw_markup(response.content.decode(), query)
