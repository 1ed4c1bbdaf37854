"""New public articles reach their subscribers once, in French, with one-click unsubscribe; no leak."""

import datetime

import pytest
from django.core import mail
from django.utils import formats, timezone, translation

from blog.models import Article
from newsletter import tasks
from newsletter.models import ArticleSend, Delivery, Subscriber
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

BODY = (
    '<p>Texte <a href="/a-propos/">lien</a> '
    '<img src="/media/x.jpg" srcset="/media/x-400.jpg 400w" alt="x"></p>'
)


@pytest.fixture(autouse=True)
def https_site(site, settings):
    settings.COMMENTS_LINK_SCHEME = "https"
    return site


def dispatch():
    tasks.dispatch_new_articles.call()


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_new_article_goes_to_those_who_want_it(subscribe):
    parent = CategoryFactory(name="Digital", slug="digital")
    child = CategoryFactory(name="Réseaux", slug="reseaux", parent=parent)
    other = CategoryFactory(name="Autre", slug="autre")
    subscribe("tout@example.org")
    subscribe("enfant@example.org", categories=[child])
    subscribe("parent@example.org", categories=[parent])
    subscribe("autre@example.org", categories=[other])
    subscribe("hebdo@example.org", frequency=Subscriber.Frequency.WEEKLY)
    subscribe("attente@example.org", status=Subscriber.Status.PENDING)
    subscribe("parti@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    article = ArticleFactory(category=child, published_at=timezone.now() - datetime.timedelta(hours=1))

    dispatch()

    assert recipients() == ["enfant@example.org", "parent@example.org", "tout@example.org"]
    send = ArticleSend.objects.get(article=article)
    assert send.recipients == 3
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3


def test_the_message_has_both_parts_absolute_links_french_dates_and_one_click_unsubscribe(subscribe):
    subscriber = subscribe("a@example.org")
    article = ArticleFactory(
        title="Les réseaux en 2026",
        excerpt="Le résumé.",
        body=BODY,
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    dispatch()

    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert message.subject == "Les réseaux en 2026"
    assert f"https://blog.example.fr{article.get_absolute_url()}" in message.body
    assert f"https://blog.example.fr{article.get_absolute_url()}" in html
    assert "Le résumé." in html and "Texte" not in html, "the excerpt by default"
    with translation.override("fr"):
        month = formats.date_format(timezone.localtime(article.published_at), "F")
    assert month in message.body
    unsubscribe = f"https://blog.example.fr/lettre/desinscription/{subscriber.token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body and unsubscribe in html
    assert f"/lettre/preferences/{subscriber.token}/" in html


def test_the_full_text_when_the_setting_says_so_with_absolute_images(subscribe, settings):
    settings.NEWSLETTER_FULL_CONTENT = True
    subscribe("a@example.org")
    ArticleFactory(
        body=BODY,
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    dispatch()

    html = mail.outbox[0].alternatives[0][0]
    assert 'src="https://blog.example.fr/media/x.jpg"' in html
    assert 'href="https://blog.example.fr/a-propos/"' in html
    assert "srcset" not in html
    assert "Texte" in mail.outbox[0].body


@pytest.mark.parametrize("state", ["draft", "review", "scheduled"])
def test_nothing_unpublished_is_sent(subscribe, state):
    subscribe("a@example.org")
    fields = {"status": state} if state != "scheduled" else {"scheduled": True}
    article = ArticleFactory(**fields)
    dispatch()
    assert mail.outbox == []
    assert not ArticleSend.objects.filter(article=article).exists()
    assert not Delivery.objects.exists()


def test_a_scheduled_article_is_sent_once_its_time_has_come_with_no_save(subscribe):
    subscribe("a@example.org")
    article = ArticleFactory(scheduled=True)
    dispatch()
    assert mail.outbox == []

    # Time passes: nothing saves the article, it is simply public now.
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - datetime.timedelta(minutes=1))
    dispatch()
    assert recipients() == ["a@example.org"]


def test_an_old_article_is_never_sent(subscribe, settings):
    """Imported articles, or the archive when the newsletter is switched on."""
    subscribe("a@example.org")
    ArticleFactory(published_at=timezone.now() - datetime.timedelta(hours=49))
    dispatch()
    assert mail.outbox == []


def test_an_article_is_never_sent_twice_to_the_same_person(subscribe):
    subscribe("a@example.org")
    article = ArticleFactory(published_at=timezone.now() - datetime.timedelta(hours=1))
    dispatch()
    dispatch()
    # Unpublished, then published again; even its sending record gone.
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    ArticleSend.objects.all().delete()
    dispatch()
    tasks.send_article.call(article_id=article.pk)

    assert recipients() == ["a@example.org"]


def test_a_message_a_dead_worker_was_sending_is_reported_not_resent(subscribe):
    subscriber = subscribe("a@example.org")
    article = ArticleFactory(published_at=timezone.now() - datetime.timedelta(hours=1))
    ArticleSend.objects.create(article=article)
    delivery = Delivery.objects.create(article=article, subscriber=subscriber, status=Delivery.Status.SENDING)
    Delivery.objects.filter(pk=delivery.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=2))

    dispatch()
    tasks.send_article.call(article_id=article.pk)
    tasks.send_batch.call(article_id=article.pk, delivery_ids=[delivery.pk])

    assert mail.outbox == []
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED


def test_an_article_unpublished_mid_send_stops_and_resumes_when_public_again(subscribe):
    first, second = subscribe("a@example.org"), subscribe("b@example.org")
    article = ArticleFactory(published_at=timezone.now() - datetime.timedelta(hours=1))
    ArticleSend.objects.create(article=article)
    rows = [Delivery.objects.create(article=article, subscriber=s) for s in (first, second)]
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    tasks.send_batch.call(article_id=article.pk, delivery_ids=[row.pk for row in rows])
    dispatch()
    assert mail.outbox == []

    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    Delivery.objects.update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    dispatch()
    assert recipients() == ["a@example.org", "b@example.org"]


def test_someone_who_unsubscribed_after_the_queuing_gets_nothing(subscribe):
    subscriber = subscribe("a@example.org")
    article = ArticleFactory(published_at=timezone.now() - datetime.timedelta(hours=1))
    delivery = Delivery.objects.create(article=article, subscriber=subscriber)
    Subscriber.objects.update(status=Subscriber.Status.UNSUBSCRIBED)

    tasks.send_batch.call(article_id=article.pk, delivery_ids=[delivery.pk])

    assert mail.outbox == []


def test_batches_are_spaced_by_the_rate_limit(settings):
    settings.NEWSLETTER_BATCH_SIZE = 50
    settings.NEWSLETTER_RATE_PER_MINUTE = 100
    assert tasks.batch_spacing() == datetime.timedelta(seconds=30)


def test_the_weekly_digest_gathers_the_week_once(subscribe, settings):
    settings.NEWSLETTER_DIGEST_WEEKDAY = timezone.localtime().weekday()
    settings.NEWSLETTER_DIGEST_HOUR = 0
    moment = tasks.digest_moment(timezone.now())
    wanted = CategoryFactory(slug="voulu")
    weekly = subscribe("hebdo@example.org", frequency=Subscriber.Frequency.WEEKLY, categories=[wanted])
    Subscriber.objects.filter(pk=weekly.pk).update(digest_until=moment - datetime.timedelta(days=7))
    one = ArticleFactory(title="Premier", category=wanted, published_at=moment - datetime.timedelta(days=2))
    ArticleFactory(title="Ailleurs", published_at=moment - datetime.timedelta(days=2))
    ArticleFactory(
        title="Brouillon", category=wanted, status="draft", published_at=moment - datetime.timedelta(days=1)
    )
    ArticleFactory(title="Trop vieux", category=wanted, published_at=moment - datetime.timedelta(days=9))

    tasks.send_weekly_digests.call()
    tasks.send_weekly_digests.call()

    (message,) = mail.outbox
    assert message.to == ["hebdo@example.org"]
    assert "Premier" in message.body
    assert (
        "Ailleurs" not in message.body
        and "Brouillon" not in message.body
        and "Trop vieux" not in message.body
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Delivery.objects.get(subscriber=weekly).article == one


def test_a_new_subscriber_s_first_digest_starts_at_the_confirmation(client, subscribe, settings):
    from newsletter.services import subscriber_confirm

    settings.NEWSLETTER_DIGEST_WEEKDAY = timezone.localtime().weekday()
    settings.NEWSLETTER_DIGEST_HOUR = 0
    ArticleFactory(published_at=timezone.now() - datetime.timedelta(hours=1))
    pending = subscribe(
        "a@example.org", frequency=Subscriber.Frequency.WEEKLY, status=Subscriber.Status.PENDING
    )
    subscriber_confirm(subscriber=pending)
    tasks.send_weekly_digests.call()
    assert mail.outbox == []
