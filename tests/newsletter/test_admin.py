"""Editors see subscribers (counts, weekly growth), export and remove them, and follow each sending."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletter.models import ArticleSend, Delivery, Subscriber
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:newsletter_subscriber_changelist"


@pytest.fixture
def subscribers(subscribe):
    active = [subscribe(f"a{i}@example.org") for i in range(3)]
    Subscriber.objects.filter(pk__in=[s.pk for s in active]).update(confirmed_at=timezone.now())
    subscribe("=cmd@example.org")
    subscribe("attente@example.org", status=Subscriber.Status.PENDING)
    return active


def test_the_subscriber_list_shows_counts_and_growth(
    staff_client, subscribers, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        response = staff_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert response.context["subscriber_counts"] == {
        "active": 4,
        "pending": 1,
        "unsubscribed": 0,
        "stopped": 0,
        "weekly": 0,
    }
    assert sum(row["confirmed"] for row in response.context["growth"]) == 3
    assert staff_client.get(reverse(CHANGELIST), {"q": "attente"}).context["cl"].result_count == 1


def test_the_add_and_change_pages_open(staff_client, subscribers):
    assert staff_client.get(reverse("admin:newsletter_subscriber_add")).status_code == 200
    assert (
        staff_client.get(reverse("admin:newsletter_subscriber_change", args=[subscribers[0].pk])).status_code
        == 200
    )


def test_export_as_csv_without_spreadsheet_formulas(staff_client, subscribers):
    pks = list(Subscriber.objects.values_list("pk", flat=True))
    response = staff_client.post(reverse(CHANGELIST), {"action": "export_csv", "_selected_action": pks})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "email"
    assert sorted(row[0] for row in rows[1:])[0] == "'=cmd@example.org"
    assert len(rows) == 6


def test_manual_removal(staff_client, subscribers):
    response = staff_client.post(
        reverse(CHANGELIST), {"action": "unsubscribe", "_selected_action": [subscribers[0].pk]}
    )
    assert response.status_code == 302
    subscribers[0].refresh_from_db()
    assert subscribers[0].status == Subscriber.Status.UNSUBSCRIBED


def test_an_article_s_sending_shows_queued_sent_and_failed(staff_client, subscribe):
    article = ArticleFactory(title="Envoyé")
    ArticleSend.objects.create(article=article, recipients=3)
    for email, status in [("a@x.org", "pending"), ("b@x.org", "sent"), ("c@x.org", "failed")]:
        Delivery.objects.create(article=article, subscriber=subscribe(email), status=status)

    response = staff_client.get(reverse("admin:newsletter_articlesend_changelist"))

    assert response.status_code == 200
    (row,) = response.context["cl"].result_list
    assert (row.queued, row.sent, row.failed) == (1, 1, 1)
    assert (
        staff_client.get(reverse("admin:newsletter_articlesend_changelist"), {"q": "Envoy"}).status_code
        == 200
    )
