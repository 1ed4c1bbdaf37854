"""Scanners' and bots' input on every public address: a 4xx or a normal page, never a 500."""

from urllib.parse import quote

import pytest

from tests.factories import ArticleFactory, CategoryFactory
from tests.security.payloads import ALL, XSS, assert_no_raw_markup


@pytest.fixture
def site(db):
    """A category with enough articles for two pages, with a keyword and an author."""
    category = CategoryFactory(slug="reseaux")
    articles = ArticleFactory.create_batch(12, category=category, tags=["Twitter"])
    return {"category": category, "article": articles[0]}


def listing_paths(site):
    article = site["article"]
    return [
        "/",
        site["category"].get_absolute_url(),
        "/mot-cle/twitter/",
        article.author.profile.get_absolute_url(),
        f"/{article.publication_date:%Y}/",
        f"/{article.publication_date:%Y/%m}/",
    ]


@pytest.mark.parametrize(
    "page", ALL + ["0", "-1", "999999", "1e10", "2.5", "last", "99999999999999999999999"]
)
def test_hostile_page_numbers_are_404_or_a_page(client, site, page):
    for path in listing_paths(site):
        response = client.get(path, {"page": page})
        assert response.status_code in (200, 400, 404), (path, page, response.status_code)
        assert_no_raw_markup(response.content.decode(), page)


@pytest.mark.parametrize("payload", XSS)
def test_extra_query_parameters_are_escaped_in_pagination_links(client, site, payload):
    """Pagination links keep the other parameters ({% querystring %}): they come back encoded."""
    response = client.get("/", {"page": "1", "utm_source": payload, payload: "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'rel="next"' in html
    assert_no_raw_markup(html, payload)


@pytest.mark.parametrize(
    "path",
    [
        "/2009/13/45/x/",
        "/2009/02/30/x/",
        "/2009/00/00/x/",
        "/0000/01/01/x/",
        "/9999/12/31/x/",
        "/2009/13/",
        "/2009/00/",
        "/2009/02/30/",
        "/0000/",
        "/2009/1/5/x/",
        "/20090/01/01/x/",
    ],
)
def test_impossible_dates_are_404(client, site, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("payload", ALL)
def test_hostile_slugs_and_names_are_404(client, site, payload):
    article = site["article"]
    quoted = quote(payload, safe="")
    for path in [
        f"/categorie/{quoted}/",
        f"/mot-cle/{quoted}/",
        f"/auteur/{quoted}/",
        f"/{article.publication_date:%Y/%m/%d}/{quoted}/",
    ]:
        response = client.get(path)
        assert response.status_code in (301, 400, 404), (path, response.status_code)
        assert_no_raw_markup(response.content.decode(), payload)


@pytest.mark.parametrize("pk", ["0", "99999999", "99999999999999999999999", "-1", "abc"])
def test_preview_with_odd_ids_is_404_for_staff_and_readers(client, staff_client, site, pk):
    assert client.get(f"/apercu/{pk}/").status_code == 404
    assert staff_client.get(f"/apercu/{pk}/").status_code == 404


@pytest.mark.parametrize(
    "raw_path",
    [
        "/%FF%FE/",
        "/categorie/%C3%28/",
        "/mot-cle/%ED%A0%80/",
        "/auteur/%FF/",
        "/%00/",
        "/mot-cle/%00/",
        "/auteur/a%00b/",
    ],
)
def test_non_utf8_and_nul_bytes_in_the_path_are_4xx(client, site, raw_path):
    response = client.get(raw_path)
    assert 400 <= response.status_code < 500, (raw_path, response.status_code)


@pytest.mark.parametrize(
    "query", ["page=%FF", "page=%C3%28", "page=%00", "%FF=1", "page=1&page=%00", "a" * 9000]
)
def test_non_utf8_and_nul_bytes_in_the_query_are_not_errors(client, site, query):
    response = client.get(f"/?{query}")
    assert response.status_code in (200, 400, 404), (query, response.status_code)


def test_overlong_path_is_404(client, site):
    assert client.get("/mot-cle/" + "a" * 10000 + "/").status_code == 404
    assert client.get("/categorie/" + "b" * 10000 + "/").status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_unexpected_methods_on_public_pages_are_405(client, site, method):
    response = getattr(client, method)("/")
    assert response.status_code == 405


def test_post_to_a_public_page_without_csrf_is_refused(site):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/", {"page": "1"})
    assert response.status_code in (403, 405)


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1:8000@evil.example", "<script>", ""])
def test_unknown_host_headers_are_400(client, site, host):
    response = client.get("/", headers={"host": host} if host else {}, HTTP_HOST=host)
    assert response.status_code == 400


@pytest.mark.parametrize("address", ["/mot-cle/%00/", "/auteur/a%00b/", "/?page=%00", "/categorie/x/?q=a%00"])
def test_nul_bytes_are_refused_with_400_before_reaching_the_database(client, site, address):
    """PostgreSQL cannot compare text with a NUL byte: it must never reach a query."""
    assert client.get(address).status_code == 400
