"""A shared page keeps placeholders for what differs per reader, and gets each reader's values."""

import collections
import re

from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token, get_token
from django.test import Client, RequestFactory
from django.urls import path
from django.views.decorators.http import require_POST

from blog import reader_values

TOKEN = "a" * 64
PAGE = (
    b"<header>" + b"x" * 10_000 + b"</header>"
    b'<form><input type="hidden" name="csrfmiddlewaretoken" value="' + TOKEN.encode() + b'">'
    b'<input type="hidden" name="content_type" value="blog.article">'
    b'<input type="hidden" name="object_pk" value="42">'
    b'<input type="hidden" name="timestamp" value="1000">\n'
    b'<input type="hidden" name="security_hash" value="abc123"></form>'
    b'<form><input type="hidden" name="csrfmiddlewaretoken" value="' + TOKEN.encode() + b'"></form>'
)


def test_a_page_without_a_form_is_kept_whole():
    kept = reader_values.keep(b"<p>Bonjour</p>")
    assert kept == ((b"<p>Bonjour</p>",), False, None)
    assert reader_values.fill(kept, None) == b"<p>Bonjour</p>"


def test_each_reader_gets_their_token_and_a_fresh_comment_timestamp():
    kept = reader_values.keep(PAGE)
    assert (kept.csrf, kept.comment_target) == (True, ("blog.article", "42"))
    assert all(TOKEN.encode() not in part for part in kept.parts)
    request = RequestFactory().get("/")
    page = reader_values.fill(kept, request).decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', page)
    assert len(tokens) == 2 and TOKEN not in tokens
    assert get_token(request)
    timestamp = re.search(r'name="timestamp" value="(\d+)"', page)[1]
    assert int(timestamp) > 1000
    assert re.search(r'name="security_hash" value="([0-9a-f]{40})"', page)
    # Everything else is as it was.
    assert page.startswith("<header>" + "x" * 10_000 + "</header>")
    assert len(page) == len(PAGE) - len("1000") + len(timestamp) - len("abc123") + 40


def test_a_new_reader_gets_a_secret_and_a_token_for_it():
    request = RequestFactory().get("/")
    token = reader_values.csrf_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert re.fullmatch(r"[A-Za-z0-9]{64}", token) and re.fullmatch(r"[A-Za-z0-9]{32}", secret)
    assert _unmask_cipher_token(token) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]
    # Django's own token for the rest of the page goes with the same cookie.
    assert _unmask_cipher_token(get_token(request)) == secret


def test_a_returning_reader_keeps_their_secret_under_a_new_mask():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret = "k" * 32
    first, second = reader_values.csrf_token(request), reader_values.csrf_token(request)
    assert first != second
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]


def test_the_letters_are_drawn_evenly():
    drawn = "".join(reader_values._letters(reader_values._random_numbers(32)) for _ in range(2000))
    counts = collections.Counter(drawn)
    assert len(drawn) == 64_000
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    # About 1,032 each; a letter favoured by a modulo bias would come out 25 % more often.
    assert all(850 < count < 1250 for count in counts.values())


@require_POST
def _accept(request):
    return HttpResponse("ok")


urlpatterns = [path("envoi/", _accept)]


def test_the_token_passes_djangos_check_with_the_cookie_it_sets(settings):
    settings.ROOT_URLCONF = __name__
    request = RequestFactory().get("/")
    token = reader_values.csrf_token(request)
    reader = Client(enforce_csrf_checks=True)
    reader.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    assert reader.post("/envoi/", {"csrfmiddlewaretoken": token}).status_code == 200
    assert reader.post("/envoi/", {"csrfmiddlewaretoken": "a" * 64}).status_code == 403
