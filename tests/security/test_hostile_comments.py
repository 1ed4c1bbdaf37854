"""Spam bots on the comment form: every hostile value is refused or stored and shown escaped.

Anonymous posts become comments only through the e-mailed confirmation link:
the tests click it, so that what a bot typed really reaches the database and
the article page.
"""

import itertools

import pytest
from django.core import mail
from django.utils.translation import gettext
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import ArticleFactory, CommentFactory, UserFactory
from tests.security.comments_support import (
    comment_data,
    comment_post_url,
    confirm_sent_comments,
    page_text,
    post_comment,
    requires_comments,
    stored_comments,
)
from tests.security.fuzz import FUZZ, hostile_text
from tests.security.payloads import ALL, SQLISH, XSS, assert_no_raw_markup

pytestmark = requires_comments

_addresses = (f"198.51.100.{n % 250 + 1}" for n in itertools.count())


def post(client, data):
    # A new address per post: the rate limit is tested elsewhere, not here.
    return post_comment(client, data, REMOTE_ADDR=next(_addresses))


@pytest.fixture(autouse=True)
def _publish_at_once(settings):
    """First comments are not held here, so that what was stored shows on the page."""
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False


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
    for confirmation in confirm_sent_comments(client):
        assert confirmation.status_code < 500
    assert_article_page_is_safe(client, article, payload)


@pytest.mark.parametrize("payload", XSS)
def test_an_anonymous_hostile_comment_is_stored_as_typed_once_confirmed(client, article, payload):
    text = f"Avant {payload} après"
    response = post(client, comment_data(article, comment=text))
    assert response.status_code == 302
    assert not stored_comments(article).exists()
    # The confirmation e-mail is plain text: the comment is quoted as typed, nothing renders it.
    assert mail.outbox[0].content_subtype == "plain" and not getattr(mail.outbox[0], "alternatives", [])

    confirm_sent_comments(client)

    assert stored_comments(article).get().comment == text
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
    for message in mail.outbox:
        assert "Bcc" not in message.message()
        assert "victim@example.org" not in message.recipients()


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


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/commentaires/reply/99999999999999999999/", 404),
        ("/commentaires/reply/0/", 404),
        ("/commentaires/confirm/%C3%A9%00abc/", 400),
        ("/commentaires/confirm/.eJzT.AAAA/", 400),
        ("/commentaires/mute/..../", 400),
        ("/commentaires/flux/article/99999999999999999999/", 404),
    ],
)
def test_forged_comment_addresses_are_4xx(poster, path, status):
    assert poster.get(path).status_code == status


def test_flagging_a_forged_comment_number_is_404(client, article):
    client.force_login(UserFactory(username="lectrice"))
    for method in (client.get, client.post):
        assert method("/commentaires/signaler/99999999999999999999/").status_code == 404


def reply_data(article, reply_to, **fields):
    return comment_data(article, comment="Une réponse égarée", reply_to=str(reply_to), **fields)


def assert_reply_refused(response, article):
    assert response.status_code == 400
    assert "Une réponse égarée" not in [c.comment for c in stored_comments(article)]
    assert not any("Une réponse égarée" in message.body for message in mail.outbox)


@pytest.fixture
def deepest_comment(article):
    """A comment already nested as deep as allowed (COMMENTS_XTD_MAX_THREAD_LEVEL = 3 in tests)."""
    comment = CommentFactory(article=article)
    for _ in range(3):
        comment = CommentFactory(article=article, parent_id=comment.pk)
    assert comment.level == 3
    return comment


@pytest.fixture(params=["anonymous", "logged_in"])
def poster(request, client, db):
    if request.param == "logged_in":
        client.force_login(UserFactory(username="lectrice"))
    return client


@pytest.mark.parametrize("reply_to", ["999999", "-1", "99999999999999999999"])
def test_a_reply_to_a_missing_comment_is_a_form_error_and_saves_nothing(poster, article, reply_to):
    CommentFactory(article=article)
    assert_reply_refused(post(poster, reply_data(article, reply_to)), article)


def test_a_reply_too_deep_is_a_form_error_and_saves_nothing(poster, article, deepest_comment):
    response = post(poster, reply_data(article, deepest_comment.pk))
    assert_reply_refused(response, article)
    assert gettext(
        "This conversation is already nested as deep as allowed: reply higher up in the thread."
    ) in page_text(response)


@pytest.mark.parametrize("state", ["removed", "awaiting", "other_article"])
def test_a_reply_to_a_hidden_or_foreign_comment_is_a_form_error(poster, article, state):
    if state == "other_article":
        parent = CommentFactory(article=ArticleFactory())
    else:
        parent = CommentFactory(article=article, is_removed=state == "removed", is_public=state != "awaiting")
    assert_reply_refused(post(poster, reply_data(article, parent.pk)), article)


def test_a_reply_whose_parent_vanished_before_confirmation_is_refused_without_orphan(client, article):
    parent = CommentFactory(article=article)
    post(client, reply_data(article, parent.pk))
    parent.is_removed = True
    parent.save(update_fields=["is_removed"])

    (response,) = confirm_sent_comments(client)

    assert response.status_code == 400
    assert gettext(
        "The comment you replied to is no longer visible, so your reply was not posted."
    ) in page_text(response)
    assert not stored_comments(article).filter(comment="Une réponse égarée").exists()


@pytest.mark.parametrize("payload", XSS)
def test_a_hostile_reply_is_threaded_and_shown_escaped(client, article, payload):
    parent = CommentFactory(article=article)
    client.force_login(UserFactory(username="lectrice"))
    response = post(client, comment_data(article, comment=f"Réponse {payload}", reply_to=str(parent.pk)))
    assert response.status_code == 302
    assert stored_comments(article).get(comment=f"Réponse {payload}").parent_id == parent.pk
    assert_article_page_is_safe(client, article, payload)


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
    assert response.status_code == 302
    assert stored_comments(article).get(comment=text).is_public
    assert_article_page_is_safe(client, article, payload)
