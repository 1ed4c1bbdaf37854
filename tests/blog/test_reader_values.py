"""A shared page keeps placeholders for what differs per reader, and gets each reader's values."""

import re

from django.middleware.csrf import get_token
from django.test import RequestFactory

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
    parts, values = reader_values.keep(b"<p>Bonjour</p>")
    assert parts == [b"<p>Bonjour</p>"]
    assert values == {"csrf": False, "comment_target": None}
    assert reader_values.fill(parts, None, **values) == b"<p>Bonjour</p>"


def test_each_reader_gets_their_token_and_a_fresh_comment_timestamp():
    parts, values = reader_values.keep(PAGE)
    assert values == {"csrf": True, "comment_target": ("blog.article", "42")}
    assert all(TOKEN.encode() not in part for part in parts)
    request = RequestFactory().get("/")
    page = reader_values.fill(parts, request, **values).decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', page)
    assert len(tokens) == 2 and TOKEN not in tokens
    assert get_token(request)
    timestamp = re.search(r'name="timestamp" value="(\d+)"', page)[1]
    assert int(timestamp) > 1000
    assert re.search(r'name="security_hash" value="([0-9a-f]{40})"', page)
    # Everything else is as it was.
    assert page.startswith("<header>" + "x" * 10_000 + "</header>")
    assert len(page) == len(PAGE) - len("1000") + len(timestamp) - len("abc123") + 40
