"""Every public page costs a fixed number of queries, whatever the size of the blog.

The ``blog`` fixture builds the same blog with 3 and with 15 articles; each page
must stay within the same budget in both. "Cold" is the first view after a
change (sidebar, counts and summaries rebuilt), "warm" every later one. The
page cache is off: with it, a warm page costs no query at all.
"""

import pytest
from django.contrib.sites.models import Site
from django.core.cache import cache

# page: (cold budget, warm budget)
BUDGETS = {
    "home": (10, 0),
    "home, last page": (10, 0),
    "article": (19, 0),  # + the discussion, its count and closing date, related articles, page metadata
    "category": (11, 0),
    "sub-category": (11, 0),
    "tag": (11, 0),
    "author": (11, 0),
    "year archive": (14, 0),
    "month archive": (14, 0),
    "day archive": (16, 0),
}


def page_url(page, article):
    day = article.publication_date
    return {
        "home": "/",
        "home, last page": "/?page=last",
        "article": article.get_absolute_url(),
        "category": "/categorie/strategie/",
        "sub-category": "/categorie/reseaux/",
        "tag": "/mot-cle/twitter/",
        "author": "/auteur/auteure/",
        "year archive": f"/{day:%Y}/",
        "month archive": f"/{day:%Y/%m}/",
        "day archive": f"/{day:%Y/%m/%d}/",
    }[page]


@pytest.mark.parametrize("page", BUDGETS)
def test_first_view_after_a_change_has_a_fixed_query_budget(
    client, blog, page_cache_off, page, django_assert_max_num_queries
):
    url = page_url(page, blog)
    # The current Site is read once per process, not after each change.
    Site.objects.get_current()
    cache.clear()
    with django_assert_max_num_queries(BUDGETS[page][0]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("page", BUDGETS)
def test_later_views_have_a_smaller_fixed_query_budget(
    client, blog, page_cache_off, page, django_assert_max_num_queries
):
    url = page_url(page, blog)
    client.get(url)
    with django_assert_max_num_queries(BUDGETS[page][1]):
        response = client.get(url)
    assert response.status_code == 200
    assert "Billet" in response.content.decode()


@pytest.mark.parametrize("page", BUDGETS)
def test_a_cached_page_costs_no_query(client, blog, page, django_assert_num_queries):
    url = page_url(page, blog)
    client.get(url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_the_home_page_lists_the_latest_articles_with_the_fragment_cache_off(
    client, blog, page_cache_off, settings, django_assert_max_num_queries
):
    settings.FRAGMENT_CACHE_ENABLED = False
    with django_assert_max_num_queries(BUDGETS["home"][0]):
        response = client.get("/")
    assert blog.title in response.content.decode()
