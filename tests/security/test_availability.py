"""Database down: a 503 page, never a traceback; /healthz tells monitoring; recovery is automatic."""

import json
import logging
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client

from config.logging import JsonFormatter
from tests.factories import ArticleFactory


def database_down(exception=OperationalError):
    """Every ORM query fails, as when the server is stopped or the connection is lost."""
    return mock.patch.object(
        SQLCompiler, "execute_sql", side_effect=exception("could not connect to server: Connection refused")
    )


class BrokenBeforeTheViewMiddleware:
    """Runs a query before any view, as session or authentication middleware do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from blog.models import Article

        Article.objects.exists()
        return self.get_response(request)


def test_healthz_reports_ok_with_one_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]
    assert "max-age=0" in response.headers["Cache-Control"]


def test_healthz_reports_503_when_the_database_is_down(client, db):
    with mock.patch("config.views.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.parametrize("exception", [OperationalError, InterfaceError])
@pytest.mark.parametrize("page", ["home", "article", "category"])
def test_database_outage_gives_the_503_page_then_the_site_recovers(client, db, exception, page):
    article = ArticleFactory()
    path = {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": article.category.get_absolute_url(),
    }[page]
    with database_down(exception):
        response = client.get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "no-store" in response.headers["Cache-Control"]
    html = response.content.decode()
    assert "503" in html
    assert "Traceback" not in html
    assert "OperationalError" not in html and "InterfaceError" not in html
    assert 'href="/static/css/site.css"' in html  # the site's look
    # The server is back: the next request is served normally.
    response = client.get(path)
    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_database_outage_is_logged_as_an_error(client, db, caplog):
    with caplog.at_level(logging.ERROR, logger="config.availability"), database_down():
        client.get("/")
    record = next(r for r in caplog.records if r.name == "config.availability")
    assert record.levelno == logging.ERROR
    assert "/" in record.getMessage()
    assert record.exc_info


def test_database_outage_outside_a_view_still_gives_the_503_page(db, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "tests.security.test_availability.BrokenBeforeTheViewMiddleware",
    ]
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get("/")
    assert response.status_code == 503
    assert "Traceback" not in response.content.decode()


def test_other_server_errors_keep_the_500_page(db, settings):
    client = Client(raise_request_exception=False)
    with mock.patch("blog.views.ArticleListView.get_queryset", side_effect=ValueError("bug")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Traceback" not in response.content.decode()


def test_json_log_lines_carry_the_request_but_no_secrets(rf):
    request = rf.post("/admin/login/", {"password": "hunter2"}, HTTP_COOKIE="sessionid=secret-session")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError as error:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/admin/login/",),
            (type(error), error, error.__traceback__),
        )
    record.request = request
    record.status_code = 500
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "django.request"
    assert entry["message"] == "Internal Server Error: /admin/login/"
    assert entry["method"] == "POST"
    assert entry["path"] == "/admin/login/"
    assert entry["status"] == 500
    assert "OperationalError" in entry["exception"]
    assert "hunter2" not in line and "secret-session" not in line
