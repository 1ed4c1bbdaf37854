"""The article form's end of publication (side panel) and its "SEO and sharing" fieldset."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from tests.factories import ArticleFactory, MediaImageFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:blog_article_add")


def moment_fields(name, moment):
    local = timezone.localtime(moment)
    return {f"{name}_0": local.strftime("%Y-%m-%d"), f"{name}_1": local.strftime("%H:%M:%S")}


def publish_form(article_form_data, *, published, ended=None, **overrides):
    data = article_form_data(status="published", author="", **moment_fields("published_at", published))
    if ended is not None:
        data.update(moment_fields("unpublish_at", ended))
    data.update(overrides)
    return data


@pytest.fixture
def form(article_form_data, editor_user):
    def build(**kwargs):
        data = publish_form(article_form_data, **kwargs)
        data["author"] = editor_user.pk
        return data

    return build


def errors_of(response, field):
    return response.context["adminform"].form.errors.get(field, [])


def test_an_end_date_before_the_publication_is_refused_with_a_clear_message(editor_client, form):
    published = timezone.now() - datetime.timedelta(days=1)
    response = editor_client.post(
        ADD, form(published=published, ended=published - datetime.timedelta(hours=2))
    )
    assert response.status_code == 200
    assert errors_of(response, "unpublish_at")
    assert not Article.objects.exists()


def test_an_end_date_equal_to_the_publication_is_refused(editor_client, form):
    published = (timezone.now() - datetime.timedelta(days=1)).replace(microsecond=0)
    response = editor_client.post(ADD, form(published=published, ended=published))
    assert errors_of(response, "unpublish_at")


def test_an_end_date_after_the_publication_is_saved(editor_client, form):
    published = (timezone.now() - datetime.timedelta(days=1)).replace(microsecond=0)
    ended = published + datetime.timedelta(days=30)
    response = editor_client.post(ADD, form(published=published, ended=ended))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.unpublish_at == ended and article.is_public


def test_the_end_date_is_in_the_publication_panel_and_editors_only(editor_client, author_client):
    article = ArticleFactory(draft=True)
    html = editor_client.get(reverse("admin:blog_article_change", args=[article.pk])).content.decode()
    assert 'name="unpublish_at_0"' in html
    publication = html[html.index('name="published_at_0"') :]
    assert 'name="unpublish_at_0"' in publication.split("</fieldset>")[0]
    # Authors do not decide when an article goes, as they do not decide when it comes.
    html = author_client.get(ADD).content.decode()
    assert 'name="unpublish_at_0"' not in html


def test_the_seo_fieldset_is_collapsed_and_holds_every_field(editor_client):
    html = editor_client.get(ADD).content.decode()
    for name in ("seo_title", "seo_description", "social_image", "noindex", "canonical_url"):
        assert f'name="{name}"' in html
    start = html.index('name="seo_title"')
    fieldset = html[html.rindex("<fieldset", 0, start) : start]
    assert "collapse" in fieldset


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("seo_title", "x" * 71),
        ("seo_description", "x" * 161),
        ("canonical_url", "ftp://example.org/article"),
        ("canonical_url", "javascript:alert(1)"),
        ("canonical_url", "pas une adresse"),
    ],
)
def test_bad_seo_values_are_refused(editor_client, form, field, value):
    response = editor_client.post(ADD, form(published=timezone.now(), **{field: value}))
    assert response.status_code == 200
    assert errors_of(response, field)
    assert not Article.objects.exists()


def test_seo_values_are_saved(editor_client, form):
    image = MediaImageFactory()
    data = form(
        published=timezone.now(),
        seo_title="x" * 70,
        social_image=image.pk,
        noindex="on",
        canonical_url="https://exemple.org/original",
    )
    response = editor_client.post(ADD, data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.seo_title, article.social_image, article.noindex, article.canonical_url) == (
        "x" * 70,
        image,
        True,
        "https://exemple.org/original",
    )


def run_action(client, action, *articles):
    changelist = reverse("admin:blog_article_changelist")
    return client.post(
        changelist, {"action": action, "_selected_action": [a.pk for a in articles]}, follow=True
    )


@pytest.mark.parametrize("action", ["publish", "publish_now"])
def test_an_article_whose_end_date_has_passed_is_not_published_by_an_action(editor_client, action):
    ended = timezone.now() - datetime.timedelta(hours=1)
    article = ArticleFactory(draft=True, published_at=None, unpublish_at=ended, title="Trop tard")
    response = run_action(editor_client, action, article)
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    shown = [str(message) for message in response.context["messages"]]
    assert any("Trop tard" in message for message in shown)


def test_the_list_says_when_a_publication_ended(editor_client):
    ArticleFactory(unpublish_at=timezone.now() - datetime.timedelta(hours=1))
    html = editor_client.get(reverse("admin:blog_article_changelist")).content.decode()
    assert "status--expired" in html


def test_the_table_of_contents_is_offered_under_the_text(editor_client):
    html = editor_client.get(ADD).content.decode()
    assert html.index('name="body"') < html.index('name="table_of_contents"')
