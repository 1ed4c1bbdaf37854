"""In a real browser: a reader subscribes from the footer, confirms from the e-mail, changes, leaves."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from newsletter.models import Subscriber
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link_in(message, name):
    return re.search(rf"(/lettre/{name}/[^\s\"<]+/)", message.body).group(1)


def test_a_reader_subscribes_confirms_changes_preferences_and_unsubscribes(live_server, page, artifacts):
    category = CategoryFactory(name="Influence")
    ArticleFactory(category=category)
    page.goto(live_server.url + "/")

    # From the footer of any page: an address, a frequency, one click.
    footer = page.locator(".newsletter-form--footer")
    footer.get_by_role("textbox").fill("lectrice@example.org")
    footer.locator("input[name=frequency][value=each]").check()
    footer.locator("button[type=submit]").click()

    # The answer is at the top of the page that loads, where the reader looks.
    expect(page).to_have_url(re.compile(r"/lettre/inscription/$"))
    expect(page.locator("h1.newsletter-page__title")).to_be_in_viewport()
    expect(page.locator(".newsletter-page [role=status]")).to_be_in_viewport()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    page.screenshot(path=artifacts / "newsletter-check-your-inbox.png")

    # The e-mail's link shows a button (a link scanner's visit confirms nothing).
    (message,) = mail.outbox
    assert message.to == ["lectrice@example.org"]
    page.goto(live_server.url + link_in(message, "confirmer"))
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    page.locator(".newsletter-page button[type=submit]").click()

    # Confirmed: the preferences page, with the confirmation above it.
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.ACTIVE
    expect(page).to_have_url(re.compile(rf"/lettre/preferences/{subscriber.token}/$"))
    expect(page.locator(".messages .message--success")).to_be_in_viewport()
    expect(page.locator(".newsletter-page__intro")).to_contain_text("lectrice@example.org")

    # A weekly digest of one category.
    form = page.locator("form.newsletter-form--page")
    form.locator("input[name=frequency][value=weekly]").check()
    form.get_by_label("Influence").check()
    form.locator("button[type=submit]").click()
    expect(page.locator(".newsletter-page .message--success[role=status]")).to_be_visible()
    subscriber.refresh_from_db()
    assert subscriber.frequency == Subscriber.Frequency.WEEKLY
    assert not subscriber.all_categories
    assert list(subscriber.categories.all()) == [category]
    expect(page.locator("form.newsletter-form--page input[name=frequency][value=weekly]")).to_be_checked()
    page.screenshot(path=artifacts / "newsletter-preferences.png", full_page=True)

    # And leaves, from the same page.
    page.locator(".newsletter-page__leave button[type=submit]").click()
    expect(page.locator(".newsletter-page [role=status]")).to_contain_text("lectrice@example.org")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert len(mail.outbox) == 1, "nothing but the confirmation was sent"


def test_the_newsletter_pages_fit_a_phone_screen(live_server, phone_page):
    CategoryFactory.create_batch(12)
    subscriber = Subscriber.objects.create(email="une.adresse.assez.longue@exemple-de-domaine.fr")
    for path in [
        "/lettre/inscription/",
        f"/lettre/preferences/{subscriber.token}/",
        f"/lettre/desinscription/{subscriber.token}/",
        f"/lettre/confirmer/{subscriber.token}/",
    ]:
        phone_page.goto(live_server.url + path)
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px"
        expect(phone_page.locator(".newsletter-page button[type=submit]").first).to_be_visible()
