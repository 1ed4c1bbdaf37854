"""Spam bots on the comment form: every hostile value is refused or stored and shown escaped."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import ArticleFactory, UserFactory
from tests.security.comments_support import comment_data, comment_post_url, requires_comments, stored_comments
from tests.security.fuzz import FUZZ, hostile_text
from tests.security.payloads import ALL, SQLISH, XSS, assert_no_raw_markup

pytestmark = requires_comments

_addresses = (f"198.51.100.{n % 250 + 1}" for n in itertools.count())


def post(client, data):
    # A new address per post: the rate limit is tested elsewhere, not here.
    return client.post(comment_post_url(), data, REMOTE_ADDR=next(_addresses))


@pytest.fixture
def article(db):
    return ArticleFactory()


def assert_article_page_is_safe(client, article, payload):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert_no_raw_markup(response.content.decode(), payload)


@pytest.mark.parametrize("field", ["comment", "name", "url", "email"])
@pytest.mark.parametrize("payload", XSS + SQLISH)
def test_hostile_values_are_refused_or_escaped(client, article, field, payload):
    response = post(client, comment_data(article, **{field: payload}))
    assert response.status_code < 500
    assert_no_raw_markup(response.content.decode(), payload)
    assert_article_page_is_safe(client, article, payload)


@pytest.mark.parametrize("payload", ["x" * 20000, "é" * 5000, "a\x00b"])
def test_overlong_and_nul_values_are_refused_with_a_message(client, article, payload):
    for field in ("comment", "name", "email"):
        response = post(client, comment_data(article, **{field: payload}))
        assert response.status_code in (200, 400), (field, response.status_code)
    assert not stored_comments(article).exists()


@pytest.mark.parametrize("field", ["name", "email"])
def test_header_injection_in_name_or_email_is_not_an_error(client, article, field):
    """A name or address with a line break must not break (or forge) a notification's headers."""
    response = post(client, comment_data(article, **{field: "Camille\r\nBcc: victim@example.org"}))
    assert response.status_code < 500


def test_non_utf8_body_is_not_a_server_error(client, article):
    body = (
        "&".join(f"{k}={v}" for k, v in comment_data(article).items() if k != "comment")
        + "&comment=%FF%FE%C3%28"
    )
    response = client.post(
        comment_post_url(), body, content_type="application/x-www-form-urlencoded", REMOTE_ADDR="192.0.2.44"
    )
    assert response.status_code < 500


@pytest.mark.parametrize(
    "tampered",
    [
        {"security_hash": "0" * 40},
        {"timestamp": "abc"},
        {"timestamp": "99999999999999999999"},
        {"object_pk": "' OR 1=1 --"},
        {"object_pk": "999999999"},
        {"content_type": "auth.user"},
        {"content_type": "<script>"},
        {"reply_to": "999999"},
        {"reply_to": "-1"},
        {"reply_to": "abc"},
    ],
)
def test_tampered_hidden_fields_are_4xx_or_refused_and_nothing_is_stored(client, article, tampered):
    data = comment_data(article, comment="Un commentaire trafiqué")
    data.update(tampered)
    response = post(client, data)
    assert response.status_code < 500
    assert not stored_comments(article).filter(comment="Un commentaire trafiqué").exists()


def test_get_on_the_post_address_is_405(client, db):
    assert client.get(comment_post_url()).status_code == 405


@FUZZ
@given(
    comment=hostile_text,
    name=hostile_text,
    url=st.one_of(st.sampled_from(ALL), st.just(""), st.text(max_size=100)),
)
def test_fuzzed_comment_form(client, article, comment, name, url):
    response = post(client, comment_data(article, comment=comment, name=name, url=url))
    assert response.status_code < 500
    assert_no_raw_markup(response.content.decode(), comment)
    assert_article_page_is_safe(client, article, comment)
    assert_article_page_is_safe(client, article, name)


@pytest.mark.parametrize("payload", XSS)
def test_a_logged_in_readers_hostile_comment_is_stored_and_shown_escaped(client, article, payload):
    """Logged-in comments skip the e-mail confirmation: stored as typed, they must come back escaped."""
    user = UserFactory(username="lectrice")
    client.force_login(user)
    text = f"Avant {payload} après"
    response = post(client, comment_data(article, comment=text, name=user.get_full_name(), email=user.email))
    assert response.status_code < 500
    assert stored_comments(article).filter(comment=text).exists()
    assert_article_page_is_safe(client, article, payload)
