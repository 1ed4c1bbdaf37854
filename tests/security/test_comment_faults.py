"""The mail server or the cache down never costs a comment: it is saved, the failure is only logged."""

import logging
import smtplib
import socket

import pytest
from django.core import mail
from django.core.cache.backends.base import BaseCache
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils.translation import gettext

from tests.factories import ArticleFactory, CommentFactory, StaffFactory, UserFactory
from tests.security.comments_support import (
    comment_data,
    confirm_sent_comments,
    page_text,
    post_comment,
    requires_comments,
    stored_comments,
)

pytestmark = requires_comments

MAIL_FAILURES = {
    "refused": ConnectionRefusedError(111, "Connection refused"),
    "timeout": TimeoutError("timed out"),
    "disconnected": smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    "recipient_refused": smtplib.SMTPRecipientsRefused({"lecteur@example.org": (550, b"No such user")}),
}


class FailingBackend(BaseEmailBackend):
    """A mail server that fails in the way the test chose (``FailingBackend.error``)."""

    error = None

    def send_messages(self, email_messages):
        raise self.error


class UnreachableCache(BaseCache):
    """A cache server that refuses every connection, as Redis down does by default."""

    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to the cache. Connection refused.")

    add = get = set = delete = incr = clear = _fail


class SilentCache(UnreachableCache):
    """A cache server down behind a client that hides its errors (django-redis IGNORE_EXCEPTIONS)."""

    def _fail(self, *args, **kwargs):
        return None

    add = get = set = delete = incr = clear = _fail


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    settings.MANAGERS = [("Rédaction", "redaction@example.org")]
    return settings


@pytest.fixture
def mail_server_silent(settings):
    """A mail server that takes the connection and never says a word."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(5)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.getsockname()
        settings.EMAIL_TIMEOUT = 1
        yield settings


@pytest.fixture(params=sorted(MAIL_FAILURES))
def mail_failing(request, settings, monkeypatch):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    monkeypatch.setattr(FailingBackend, "error", MAIL_FAILURES[request.param])
    return settings


@pytest.fixture
def article(db):
    return ArticleFactory()


@pytest.fixture
def moderator(db):
    """A staff member who gets the "awaiting moderation" e-mails."""
    return StaffFactory(username="moderatrice", email="moderatrice@example.org")


def mail_failures_logged(caplog):
    return [
        record
        for record in caplog.records
        if record.name == "comments.services" and record.levelno >= logging.ERROR and record.exc_info
    ]


def test_a_reader_comment_is_kept_when_the_mail_server_is_down(client, article, mail_server_down, caplog):
    response = post_comment(
        client,
        comment_data(article, comment="Un avis important.", email="lecteur@example.org"),
        REMOTE_ADDR="192.0.2.80",
    )
    assert response.status_code == 302
    assert stored_comments(article).filter(comment="Un avis important.").exists()
    assert mail_failures_logged(caplog)


def test_an_unsent_confirmation_keeps_the_comment_for_the_moderators_and_says_so(
    client, article, mail_failing, moderator, caplog
):
    data = comment_data(article, comment="Un avis important.", email="lecteur@example.org", followup="on")

    response = post_comment(client, data, REMOTE_ADDR="192.0.2.83", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"{article.get_absolute_url()}#comments"
    assert gettext(
        "We could not send you the confirmation e-mail. Your comment was kept all the same: "
        "it will appear once a moderator approves it."
    ) in page_text(response)
    comment = stored_comments(article).get()
    assert comment.comment == "Un avis important."
    assert not comment.is_public and not comment.is_removed  # awaiting moderation, not shown
    assert not comment.followup  # an unconfirmed address gets no follow-up e-mails
    assert "Un avis important." not in response.content.decode()
    assert mail_failures_logged(caplog)
    assert mail.outbox == []


def test_the_site_waits_for_the_mail_server_a_limited_time():
    from config.settings import base

    assert 0 < base.EMAIL_TIMEOUT <= 30


def test_a_reader_comment_is_kept_when_the_mail_server_does_not_answer(
    client, article, mail_server_silent, caplog
):
    response = post_comment(
        client, comment_data(article, comment="Un avis patient."), REMOTE_ADDR="192.0.2.87"
    )
    assert response.status_code == 302
    assert stored_comments(article).filter(comment="Un avis patient.", is_public=False).exists()
    assert mail_failures_logged(caplog)


def test_a_logged_in_comment_is_kept_when_the_mail_server_is_down(
    client, article, mail_server_down, moderator, caplog
):
    user = UserFactory(username="lectrice")
    client.force_login(user)
    data = comment_data(
        article, comment="Merci pour cet article.", name=user.get_full_name(), email=user.email
    )
    response = post_comment(client, data, REMOTE_ADDR="192.0.2.81", follow=True)
    assert response.status_code == 200
    assert gettext(
        "Thank you, your comment was received. It will appear once a moderator approves it."
    ) in page_text(response)
    assert stored_comments(article).filter(comment="Merci pour cet article.", is_public=False).exists()
    assert mail_failures_logged(caplog)


def test_a_published_comment_stays_online_when_follow_ups_cannot_be_sent(
    client, article, mail_failing, settings, caplog
):
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    CommentFactory(article=article, user_email="suivi@example.org", followup=True)
    client.force_login(UserFactory(username="lectrice"))

    response = post_comment(client, comment_data(article, comment="Une suite."), REMOTE_ADDR="192.0.2.84")

    comment = stored_comments(article).get(comment="Une suite.")
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#c{comment.pk}"
    assert comment.is_public
    assert mail_failures_logged(caplog)


def test_confirming_while_the_mail_server_is_down_publishes_the_comment(client, article, settings, caplog):
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    CommentFactory(article=article, user_email="suivi@example.org", followup=True)
    post_comment(client, comment_data(article, comment="Confirmé plus tard."), REMOTE_ADDR="192.0.2.85")
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    FailingBackend.error = MAIL_FAILURES["refused"]
    try:
        (response,) = confirm_sent_comments(client)
    finally:
        FailingBackend.error = None

    assert response.status_code == 302
    assert stored_comments(article).get(comment="Confirmé plus tard.").is_public
    assert mail_failures_logged(caplog)


def test_a_moderator_approves_a_comment_while_the_mail_server_is_down(
    client, article, mail_server_down, caplog, django_capture_on_commit_callbacks
):
    CommentFactory(article=article, user_email="suivi@example.org", followup=True)
    pending = CommentFactory(article=article, is_public=False, comment="À valider")
    client.force_login(StaffFactory(username="moderatrice"))
    changelist = reverse("admin:django_comments_xtd_xtdcomment_changelist")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "approve", "_selected_action": [pending.pk]})

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.is_public
    assert mail_failures_logged(caplog)


@pytest.mark.parametrize("reply_to", ["999999", "-1"])
def test_a_reply_to_a_missing_comment_is_refused_and_not_stored(client, article, reply_to):
    client.force_login(UserFactory(username="lectrice"))
    data = comment_data(article, comment="Réponse orpheline", reply_to=reply_to)
    response = post_comment(client, data, REMOTE_ADDR="192.0.2.82")
    assert response.status_code == 400
    assert not stored_comments(article).filter(comment="Réponse orpheline").exists()


@pytest.mark.parametrize("backend", ["UnreachableCache", "SilentCache"])
def test_a_comment_is_posted_when_the_cache_is_down(client, article, settings, backend, caplog):
    """The rate limit counts in the cache: without it, posting still works (the other checks remain)."""
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.{backend}"}}
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    client.force_login(UserFactory(username="lectrice"))

    response = post_comment(
        client, comment_data(article, comment="Malgré la panne."), REMOTE_ADDR="192.0.2.86"
    )

    assert response.status_code == 302
    assert stored_comments(article).get(comment="Malgré la panne.").is_public
    assert any(record.name == "comments.ratelimit" for record in caplog.records)
