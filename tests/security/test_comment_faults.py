"""The mail server down never costs a comment: it is saved, the failure is only logged."""

import socket

import pytest

from tests.factories import ArticleFactory, UserFactory
from tests.security.comments_support import comment_data, comment_post_url, requires_comments, stored_comments

pytestmark = requires_comments


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
def article(db):
    return ArticleFactory()


def test_a_reader_comment_is_kept_when_the_mail_server_is_down(client, article, mail_server_down):
    response = client.post(
        comment_post_url(),
        comment_data(article, comment="Un avis important.", email="lecteur@example.org"),
        REMOTE_ADDR="192.0.2.80",
    )
    assert response.status_code < 500
    assert stored_comments(article).filter(comment="Un avis important.").exists()


def test_a_logged_in_comment_is_kept_when_the_mail_server_is_down(client, article, mail_server_down):
    user = UserFactory(username="lectrice")
    client.force_login(user)
    data = comment_data(
        article, comment="Merci pour cet article.", name=user.get_full_name(), email=user.email
    )
    response = client.post(comment_post_url(), data, REMOTE_ADDR="192.0.2.81")
    assert response.status_code < 500
    assert stored_comments(article).filter(comment="Merci pour cet article.").exists()


@pytest.mark.parametrize("reply_to", ["999999", "-1"])
def test_a_reply_to_a_missing_comment_is_refused_and_not_stored(client, article, reply_to):
    client.force_login(UserFactory(username="lectrice"))
    data = comment_data(article, comment="Réponse orpheline", reply_to=reply_to)
    response = client.post(comment_post_url(), data, REMOTE_ADDR="192.0.2.82")
    assert response.status_code in (200, 400)
    assert not stored_comments(article).filter(comment="Réponse orpheline").exists()
