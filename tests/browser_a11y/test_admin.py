"""An editor in a real browser: logging into the admin and editing an article, under the CSP."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from blog.models import Article
from tests.factories import ArticleFactory, StaffFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def editor(transactional_db):
    return StaffFactory(username="editrice", password="un-mot-de-passe-solide")


def log_in(page, username, password):
    page.goto(reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("input[type=submit]").click()


def test_editor_logs_in_and_edits_an_article(page, editor):
    article = ArticleFactory(title="Titre d'origine")
    log_in(page, "editrice", "un-mot-de-passe-solide")
    expect(page.locator("#user-tools")).to_be_visible()
    page.goto(reverse("admin:blog_article_changelist"))
    page.get_by_role("link", name="Titre d'origine").click()
    expect(page).to_have_url(re.compile(reverse("admin:blog_article_change", args=[article.pk]) + "$"))
    page.fill("#id_title", "Titre corrigé")
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.title == "Titre corrigé"
    assert page.csp.violations == []


def test_adding_an_article_with_the_admin_scripts_under_the_csp(page, editor):
    """The slug is filled in from the title by the admin's JavaScript: scripts run under the policy."""
    log_in(page, "editrice", "un-mot-de-passe-solide")
    page.goto(reverse("admin:blog_article_add"))
    page.fill("#id_title", "Un nouvel article")
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).to_have_value("un-nouvel-article")
    assert page.csp.violations == []
    assert Article.objects.count() == 0


def test_wrong_passwords_lock_the_login(page, editor, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        log_in(page, "editrice", "mauvais")
    expect(page.get_by_text("429")).to_be_visible()
    log_in(page, "editrice", "un-mot-de-passe-solide")
    expect(page.locator("#user-tools")).to_have_count(0)
