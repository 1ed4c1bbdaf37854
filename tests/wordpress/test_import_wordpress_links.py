"""Old WordPress addresses keep working after an import."""

from io import StringIO

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import call_command

from blog.models import Article

from .wxr import BASE, item, wxr


@pytest.fixture
def old_blog(db, write_wxr):
    path = write_wxr(
        wxr(
            item(101, "Bienvenue", slug="bienvenue", link=f"{BASE}/archives/bienvenue.html"),
            item(
                102,
                "Été à Paris",
                slug="%c3%a9t%c3%a9-%c3%a0-paris",
                date="2015-07-14 23:30:00",
                date_gmt="2015-07-14 21:30:00",
                link=f"{BASE}/2015/07/14/%c3%a9t%c3%a9-%c3%a0-paris/",
            ),
            item(103, "Brouillon", status="draft", link=f"{BASE}/?p=103"),
            item(104, "Même adresse", slug="meme-adresse", link=f"{BASE}/2015/03/01/meme-adresse/"),
            item(201, "À propos", slug="a-propos", post_type="page", link=f"{BASE}/?page_id=201"),
        )
    )
    call_command("import_wordpress", str(path), stdout=StringIO())


def test_query_string_permalink_answers_301(old_blog, client):
    response = client.get("/?p=101")
    assert response.status_code == 301
    assert response["Location"] == Article.objects.get(title="Bienvenue").get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_index_php_permalink(old_blog, client):
    response = client.get("/index.php?p=101")
    assert response.status_code == 301


def test_draft_is_not_revealed(old_blog, client):
    response = client.get("/?p=103")
    assert response.status_code == 200
    assert "Brouillon" not in response.content.decode()


def test_unknown_id_shows_the_home_page(old_blog, client):
    assert client.get("/?p=999").status_code == 200
    assert client.get("/?p=abc").status_code == 200


def test_page_id_permalink(old_blog, client):
    response = client.get("/?page_id=201")
    assert response.status_code == 301
    assert response["Location"] == "/a-propos/"
    assert client.get("/a-propos/").status_code == 200


def test_pretty_permalink_answers_301(old_blog, client):
    response = client.get("/archives/bienvenue.html")
    assert response.status_code == 301
    assert response["Location"] == Article.objects.get(title="Bienvenue").get_absolute_url()


def test_accented_permalink_answers_301(old_blog, client):
    response = client.get("/2015/07/14/%C3%A9t%C3%A9-%C3%A0-paris/")
    assert response.status_code == 301
    assert response["Location"] == "/2015/07/14/ete-a-paris/"
    assert client.get(response["Location"]).status_code == 200


def test_no_redirect_when_the_address_did_not_change(old_blog, client):
    assert not Redirect.objects.filter(old_path="/2015/03/01/meme-adresse/").exists()
    assert client.get("/2015/03/01/meme-adresse/").status_code == 200


def test_redirect_costs_a_bounded_number_of_queries(old_blog, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/?p=101")
    assert response.status_code == 301


def test_other_requests_cost_no_query(db, rf, django_assert_num_queries):
    from django.http import HttpResponse

    from wordpress.middleware import WordPressLinkMiddleware

    middleware = WordPressLinkMiddleware(lambda request: HttpResponse("ok"))
    with django_assert_num_queries(0):
        assert middleware(rf.get("/")).status_code == 200
        assert middleware(rf.get("/2015/?p=101")).status_code == 200
        assert middleware(rf.post("/?p=101")).status_code == 200
