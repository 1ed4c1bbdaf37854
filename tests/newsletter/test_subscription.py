"""A reader subscribes from any page, confirms by e-mail, changes preferences, unsubscribes in one click."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from newsletter.models import Subscriber
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/lettre/inscription/"


@pytest.fixture
def post_subscription(client, django_capture_on_commit_callbacks):
    def post(data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SUBSCRIBE, {"frequency": "each", "website": "", **data}, **extra)

    return post


def link(message, name):
    return re.search(rf"(/lettre/{name}/[^\s\"<]+/)", message.body).group(1)


def test_the_routes_reverse_and_resolve():
    assert reverse("newsletter:subscribe") == SUBSCRIBE
    assert reverse("newsletter:unsubscribe", kwargs={"token": "abc"}) == "/lettre/desinscription/abc/"


def test_every_page_and_every_article_offer_the_form_with_no_per_reader_value(client):
    article = ArticleFactory()
    for url in ["/", article.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert html.count(f'action="{SUBSCRIBE}"') == (2 if url != "/" else 1)
        assert "csrfmiddlewaretoken" not in html.split('class="site-footer')[1]


def test_subscribing_needs_the_confirmation_click(post_subscription, client):
    response = post_subscription({"email": "Lectrice@Example.org"})

    assert response.status_code == 200
    assert "newsletter/subscribe_done.html" in [template.name for template in response.templates]
    assert response["Cache-Control"].startswith("max-age=0")
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status) == ("lectrice@example.org", Subscriber.Status.PENDING)
    (message,) = mail.outbox
    assert message.to == ["lectrice@example.org"]
    assert "List-Unsubscribe" not in message.extra_headers

    confirm = link(message, "confirmer")
    assert client.get(confirm).status_code == 200  # a link scanner's GET confirms nothing
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    response = client.post(confirm)
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.confirmed_at is not None


def test_anonymous_subscription_needs_no_csrf_token(django_capture_on_commit_callbacks):
    client = Client(enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBSCRIBE, {"email": "a@example.org", "frequency": "weekly"})
    assert response.status_code == 200
    assert Subscriber.objects.get().frequency == Subscriber.Frequency.WEEKLY


def test_categories_can_be_chosen(post_subscription):
    chosen = CategoryFactory(name="Réseaux")
    post_subscription({"email": "a@example.org", "categories": [chosen.pk]})
    subscriber = Subscriber.objects.get()
    assert not subscriber.all_categories
    assert list(subscriber.categories.all()) == [chosen]


def test_a_request_for_a_subscribed_address_changes_nothing_and_tells_its_owner(post_subscription, subscribe):
    subscriber = subscribe("deja@example.org")
    response = post_subscription({"email": "deja@example.org", "frequency": "weekly"})

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.frequency) == (Subscriber.Status.ACTIVE, Subscriber.Frequency.EACH)
    (message,) = mail.outbox
    assert f"/lettre/preferences/{subscriber.token}/" in message.body


@pytest.mark.parametrize(
    "data",
    [{"email": "pas-une-adresse"}, {"email": ""}, {"email": "a@example.org", "frequency": "daily"}],
)
def test_bad_input_gets_the_form_again_not_an_error(post_subscription, data):
    response = post_subscription(data)
    assert response.status_code == 400
    assert Subscriber.objects.count() == 0
    assert mail.outbox == []


def test_a_robot_filling_the_hidden_field_subscribes_no_one(post_subscription):
    assert post_subscription({"email": "a@example.org", "website": "http://spam"}).status_code == 400
    assert Subscriber.objects.count() == 0


def test_requests_are_rate_limited_per_address(post_subscription, settings):
    settings.NEWSLETTER_SUBSCRIBE_RATE_LIMIT = 2
    codes = [post_subscription({"email": f"a{i}@example.org"}).status_code for i in range(3)]
    assert codes == [200, 200, 429]


def test_preferences_by_the_secret_link(client, subscribe):
    subscriber = subscribe("a@example.org")
    category = CategoryFactory()
    url = reverse("newsletter:preferences", kwargs={"token": subscriber.token})

    assert client.get(url).status_code == 200
    response = client.post(url, {"frequency": "weekly", "categories": [category.pk]})

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.frequency == Subscriber.Frequency.WEEKLY
    assert list(subscriber.categories.all()) == [category]
    assert client.post(url, {"frequency": "hourly"}).status_code == 400


def test_one_click_unsubscribe_works_without_a_csrf_token(subscribe):
    subscriber = subscribe("a@example.org")
    client = Client(enforce_csrf_checks=True)
    url = reverse("newsletter:unsubscribe", kwargs={"token": subscriber.token})

    assert client.get(url).status_code == 200  # a page with a button; nothing changes
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.parametrize("name", ["confirm", "preferences", "unsubscribe"])
def test_an_unknown_token_is_a_404(client, name):
    assert client.get(reverse(f"newsletter:{name}", kwargs={"token": "inconnu"})).status_code == 404
    assert client.post(reverse(f"newsletter:{name}", kwargs={"token": "inconnu"})).status_code == 404
