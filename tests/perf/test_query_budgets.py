"""Every public page costs a fixed number of queries, whatever the size of the blog.

The ``blog`` fixture builds the same blog with 3 and with 15 articles; each page
must stay within the same budget in both. "Cold" is the first view after a
change (the sidebar, header and footer fragments and the discussion rebuilt),
"warm" every later one, with the fragments cached and the page cache off.
With the page cache, a warm page costs no query at all.
"""

import pytest
from django.contrib.sites.models import Site
from django.core.cache import cache

# page: (cold budget, warm budget)
BUDGETS = {
    "home": (11, 2),  # the count and the page's ids; the list's markup is cached
    "home, last page": (11, 2),
    "article": (19, 1),  # the article; its markup and discussion are cached
    "category": (12, 3),  # + the categories
    "sub-category": (12, 3),
    "tag": (12, 3),  # + the keyword
    "author": (12, 3),  # + the author
    "year archive": (15, 6),  # + the dates of the period and the neighbouring periods
    "month archive": (15, 6),
    "day archive": (16, 7),
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
