"""A published article whose address changes leaves a redirect behind; nothing else does."""

import datetime

import pytest
from django.contrib.redirects.models import Redirect
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from blog.services import article_redirect_create
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def redirects():
    return set(Redirect.objects.values_list("old_path", "new_path"))


def moved(article, **changes):
    old = article.get_absolute_url()
    for name, value in changes.items():
        setattr(article, name, value)
    article.save()
    return old, article.get_absolute_url()


def test_a_new_slug_redirects_the_old_address(client, site):
    article = ArticleFactory(slug="ancien-titre")
    old, new = moved(article, slug="nouveau-titre")
    assert redirects() == {(old, new)}
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new
    assert client.get(new).status_code == 200


def test_a_new_publication_day_redirects_the_old_address(site):
    article = ArticleFactory()
    old, new = moved(article, published_at=article.published_at - datetime.timedelta(days=3))
    assert old != new
    assert redirects() == {(old, new)}


def test_a_save_that_keeps_the_address_leaves_no_redirect(site):
    article = ArticleFactory()
    moved(article, title="Un autre titre", excerpt="Autre chose.")
    assert redirects() == set()


@pytest.mark.parametrize("state", [{"draft": True}, {"scheduled": True}])
def test_an_address_never_online_gets_no_redirect(site, state):
    article = ArticleFactory(**state)
    moved(article, slug="autre-adresse")
    assert redirects() == set()


def test_an_article_scheduled_then_published_at_a_new_address_gets_no_redirect(site):
    article = ArticleFactory(scheduled=True, slug="prevu")
    moved(article, slug="publie", published_at=timezone.now())
    assert article.is_public
    assert redirects() == set()


def test_no_redirect_to_an_address_that_is_not_online(site):
    """Taken offline or rescheduled with a new slug: a redirect would reveal the new address."""
    article = ArticleFactory(slug="en-ligne")
    moved(article, slug="retire", status=Article.Status.DRAFT)
    other = ArticleFactory(slug="en-ligne-aussi")
    moved(other, slug="reporte", published_at=timezone.now() + datetime.timedelta(days=2))
    assert redirects() == set()


def test_no_chains_every_former_address_goes_to_the_latest(client, site):
    article = ArticleFactory(slug="premier")
    first, second = moved(article, slug="deuxieme")
    _, third = moved(article, slug="troisieme")
    assert redirects() == {(first, third), (second, third)}
    assert client.get(first)["Location"] == third


def test_no_loop_when_an_address_comes_back(client, site):
    article = ArticleFactory(slug="aller")
    first, second = moved(article, slug="retour")
    moved(article, slug="aller")
    assert redirects() == {(second, first)}
    assert client.get(first).status_code == 200
    assert client.get(second)["Location"] == first


def test_the_admin_save_leaves_a_redirect(staff_client, site):
    article = ArticleFactory(slug="avant")
    old = article.get_absolute_url()
    change = reverse("admin:blog_article_change", args=[article.pk])
    form = staff_client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "tags"}
    local = timezone.localtime(article.published_at)
    data.update(
        {
            "slug": "apres",
            "author": article.author_id,
            "category": article.category_id,
            "published_at_0": local.strftime("%Y-%m-%d"),
            "published_at_1": local.strftime("%H:%M:%S"),
            "comments_enabled": "on",
            "further_reading-TOTAL_FORMS": "0",
            "coauthor_links-TOTAL_FORMS": "0",
            "coauthor_links-INITIAL_FORMS": "0",
            "further_reading-INITIAL_FORMS": "0",
            "further_reading-MIN_NUM_FORMS": "0",
            "further_reading-MAX_NUM_FORMS": "1000",
        }
    )
    for name in ("featured", "noindex", "published_at", "unpublish_at", "social_image", "featured_image"):
        data.pop(name, None)
    response = staff_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert redirects() == {(old, article.get_absolute_url())}


def test_an_address_too_long_for_the_redirect_table_is_left_alone(site):
    assert article_redirect_create(old_path="/a/", new_path="/" + "x" * 250 + "/") is None
    assert redirects() == set()
