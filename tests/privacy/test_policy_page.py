"""The privacy policy page (created once, from the settings) and the notices where data is collected."""

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from privacy.policy import POLICY_URL
from privacy.services import ensure_privacy_page

pytestmark = pytest.mark.django_db


def test_the_migration_created_the_page_on_the_current_site(client):
    page = FlatPage.objects.get(url=POLICY_URL)
    assert list(page.sites.all()) == [Site.objects.get_current()]
    response = client.get(POLICY_URL)
    assert response.status_code == 200
    assert reverse("privacy:request") in response.content.decode()


def test_the_page_states_the_facts_from_the_settings(settings):
    FlatPage.objects.filter(url=POLICY_URL).delete()
    settings.PRIVACY_CONTROLLER_NAME = "Éditions Dupont & fils"
    settings.PRIVACY_CONTACT_EMAIL = "dpo@example.fr"
    settings.PRIVACY_COMMENT_IP_DAYS = 14
    settings.COMMENTS_PURGE_SPAM_DAYS = 45
    page, created = ensure_privacy_page()
    assert created
    assert "Éditions Dupont &amp; fils" in page.content
    assert 'href="mailto:dpo@example.fr"' in page.content
    assert "14" in page.content and "45" in page.content
    assert f'href="{reverse("privacy:request")}"' in page.content
    assert "<script" not in page.content


def test_it_is_idempotent_and_never_overwrites_an_edited_page():
    page = FlatPage.objects.get(url=POLICY_URL)
    page.content = "<p>Texte revu par la rédaction.</p>"
    page.save()
    again, created = ensure_privacy_page()
    assert not created and again.pk == page.pk
    assert FlatPage.objects.filter(url=POLICY_URL).count() == 1
    assert FlatPage.objects.get(pk=page.pk).content == "<p>Texte revu par la rédaction.</p>"


def test_the_text_follows_the_site_language(settings):
    FlatPage.objects.filter(url=POLICY_URL).delete()
    settings.LANGUAGE_CODE = "en"
    page, _created = ensure_privacy_page()
    assert page.title == "Privacy policy"
    assert "Your rights" in page.content


def render(name):
    return Template('{% include "' + name + '" %}').render(Context({}))


def test_the_comment_notice_names_what_is_kept_and_links_to_the_policy(settings):
    settings.PRIVACY_COMMENT_IP_DAYS = 21
    with translation.override("en"):
        html = render("privacy/includes/comment_notice.html")
    assert "21 days" in html and "e-mail address (never shown)" in html
    assert f'href="{POLICY_URL}"' in html


def test_the_newsletter_notice_links_to_the_policy():
    html = render("privacy/includes/newsletter_notice.html")
    assert f'href="{POLICY_URL}"' in html
