"""Every public page parses as HTML5 without a single parse error, and forms label their fields."""

import html5lib
import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory, FurtherReadingFactory


def assert_valid_html5(html, where):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        document = parser.parse(html)
    except html5lib.html5parser.ParseError as error:
        line, column = parser.errors[-1][0] if parser.errors else ("?", "?")
        lines = html.splitlines()
        context = lines[line - 1] if isinstance(line, int) and line <= len(lines) else ""
        pytest.fail(f"{where}: {error} at line {line}, column {column}: {context.strip()[:200]}")
    # What the parser tolerates but a validator flags: duplicate ids, a missing language.
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    duplicates = {value for value in ids if ids.count(value) > 1}
    assert not duplicates, f"{where}: duplicate ids {duplicates}"
    assert document.get("lang"), f"{where}: <html> has no lang"
    return document


def assert_fields_are_labelled(document, where):
    labelled = {label.get("for") for label in document.iter("label")}
    for tag in ("input", "select", "textarea"):
        for field in document.iter(tag):
            if field.get("type") in ("hidden", "submit", "button"):
                continue
            assert field.get("id") in labelled or field.get("aria-label") or field.get("aria-labelledby"), (
                f"{where}: unlabelled <{tag} name={field.get('name')!r}>"
            )


@pytest.fixture
def pages(db):
    articles = ArticleFactory.create_batch(12, tags=["Twitter", "Communauté"])
    article = articles[0]
    FurtherReadingFactory(article=article)
    return [
        "/",
        "/?page=2",
        article.get_absolute_url(),
        article.category.get_absolute_url(),
        "/mot-cle/twitter/",
        article.author.profile.get_absolute_url(),
        f"/{article.publication_date:%Y}/",
        f"/{article.publication_date:%Y/%m}/",
        f"/{article.publication_date:%Y/%m/%d}/",
        "/page-inconnue/",
    ]


def test_public_pages_are_valid_html5(client, pages):
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 404)
        document = assert_valid_html5(response.content.decode(), path)
        assert_fields_are_labelled(document, path)


def test_error_pages_are_valid_html5(db):
    for template in ("500.html", "503.html"):
        assert_valid_html5(render_to_string(template), template)
    lockout = render_to_string("axes/lockout.html", {"failure_limit": 5, "cooloff_minutes": 15})
    assert_valid_html5(lockout, "lockout page")


def test_admin_login_page_labels_its_fields(db):
    response = Client().get(reverse("admin:login"))
    document = assert_valid_html5(response.content.decode(), "admin login")
    assert_fields_are_labelled(document, "admin login")
