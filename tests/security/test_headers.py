"""Security headers every public page carries, and a Content-Security-Policy without inline scripts."""

import re

import pytest

from tests.factories import ArticleFactory


def csp_directives(response):
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def public_pages(db):
    article = ArticleFactory(tags=["Twitter"])
    return [
        "/",
        article.get_absolute_url(),
        article.category.get_absolute_url(),
        "/mot-cle/twitter/",
        "/inconnu/",
    ]


def test_public_pages_send_a_strict_content_security_policy(client, public_pages):
    for path in public_pages:
        response = client.get(path)
        directives = csp_directives(response)
        assert directives["script-src"] == ["'self'"], path
        assert directives["style-src"] == ["'self'"], path
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["form-action"] == ["'self'"]
        assert directives["base-uri"] == ["'self'"]
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_public_pages_have_no_inline_script_or_style(client, public_pages):
    """The policy would block them: nothing on the pages may depend on inline code."""
    for path in public_pages:
        html = client.get(path).content.decode()
        for match in re.finditer(r"<script\b([^>]*)>", html):
            attributes = match.group(1)
            assert "src=" in attributes or "application/ld+json" in attributes, (path, match.group(0))
        assert "<style" not in html, path
        assert not re.search(r"\sstyle=", html), path
        assert not re.search(r"\son[a-z]+=", html), path


def test_public_pages_refuse_framing_and_sniffing(client, public_pages):
    for path in public_pages:
        response = client.get(path)
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_admin_login_page_works_under_the_policy(client, settings, db):
    response = client.get(f"/{settings.ADMIN_URL}login/")
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    html = response.content.decode()
    for match in re.finditer(r"<script\b([^>]*)>", html):
        assert "src=" in match.group(1), match.group(0)
