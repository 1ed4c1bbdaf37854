"""Posting a comment sends nothing in the request: the e-mails are tasks for the worker."""

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from tests.factories import CommentFactory, StaffFactory
from tests.security.comments_support import comment_data, post_comment
from tests.smtp_sink import database_queue, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_sink(settings):
    with smtp_server(settings) as sink:
        yield sink


@pytest.fixture
def database_tasks(settings, transactional_db):
    with database_queue(settings) as run_worker:
        yield run_worker


def test_a_comment_enqueues_two_tasks_however_many_follow_the_article(client, article, database_tasks):
    for n in range(30):
        CommentFactory(article=article, user_email=f"suivi{n}@example.org", followup=True)
    client.force_login(StaffFactory(username="redaction", email="redaction@example.org"))

    response = post_comment(
        client, comment_data(article, comment="Une suite.", email="redaction@example.org")
    )

    assert response.status_code == 302
    assert mail.outbox == []
    # One for the followers, one for the article's authors.
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "comments.tasks.notify_authors",
        "comments.tasks.notify_followers",
    ]


def test_the_confirmation_e_mail_is_queued_and_the_worker_sends_it(
    client, article, database_tasks, smtp_sink
):
    response = post_comment(client, comment_data(article, comment="Anonyme.", email="anonyme@example.org"))

    assert response.status_code == 302
    assert smtp_sink.messages == []
    database_tasks()
    ((recipients, message),) = smtp_sink.messages
    assert recipients == ["anonyme@example.org"]
    assert "/commentaires/confirm/" in message.get_body(("plain",)).get_content()


def test_the_worker_s_follow_up_e_mails_link_to_the_address_the_comment_came_on(
    client, article, database_tasks, smtp_sink
):
    CommentFactory(article=article, user_email="suivi@example.org", followup=True)
    client.force_login(StaffFactory(username="redaction", email="redaction@example.org"))

    response = post_comment(
        client,
        comment_data(article, comment="Une suite.", email="redaction@example.org"),
        HTTP_HOST="localhost:8080",
    )

    assert response.status_code == 302
    database_tasks()
    ((recipients, message),) = [sent for sent in smtp_sink.messages if sent[0] != [article.author.email]]
    assert recipients == ["suivi@example.org"]
    body = message.get_body(("plain",)).get_content()
    assert f"http://localhost:8080{article.get_absolute_url()}" in body
    assert "127.0.0.1:8000" not in body and "example.com" not in body
