"""Every save keeps a version; editors compare two and restore one."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from taggit.models import Tag

from blog.models import Article, FurtherReading
from blog.services import tag_merge
from editorial import services
from editorial.models import ArticleRevision
from editorial.revisions import snapshot_diff
from tests.factories import ArticleFactory, CategoryFactory, FurtherReadingFactory

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:blog_article_change", args=[article.pk])


def versions_url(article):
    return reverse("admin:blog_article_revisions", args=[article.pk])


def compare_url(article, old, new):
    return reverse("admin:blog_article_revision_compare", args=[article.pk]) + f"?old={old.pk}&new={new.pk}"


def restore_url(article, revision):
    return reverse("admin:blog_article_revision_restore", args=[article.pk, revision.pk])


def test_each_save_in_the_admin_keeps_a_version_with_tags_and_links(
    editor_client, editor_user, article_form_data
):
    response = editor_client.post(
        reverse("admin:blog_article_add"),
        article_form_data(
            author=editor_user.pk,
            new_tags="Twitter, Veille",
            **{
                "further_reading-TOTAL_FORMS": "1",
                "further_reading-0-title": "Une source",
                "further_reading-0-url": "https://example.org/source",
                "further_reading-0-position": "0",
            },
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    first = article.revisions.get()
    assert first.user == editor_user
    assert first.data["tags"] == ["Twitter", "Veille"]
    assert first.data["further_reading"] == [
        {"title": "Une source", "url": "https://example.org/source", "position": 0}
    ]

    editor_client.post(
        change_url(article),
        article_form_data(
            title="Titre revu",
            author=editor_user.pk,
            tags=[t.pk for t in Tag.objects.all()],
            **{
                "further_reading-INITIAL_FORMS": "1",
                "further_reading-TOTAL_FORMS": "1",
                "further_reading-0-id": FurtherReading.objects.get().pk,
                "further_reading-0-article": article.pk,
                "further_reading-0-title": "Une source",
                "further_reading-0-url": "https://example.org/source",
                "further_reading-0-position": "0",
            },
        ),
    )
    assert article.revisions.count() == 2
    latest = article.revisions.first()
    assert latest.data["title"] == "Titre revu"
    assert latest.comment.startswith("Modifié")
    assert str(Article._meta.get_field("title").verbose_name) in latest.comment


def test_the_diff_shows_what_changed_line_by_line():
    old = {"title": "Avant", "body": "<p>Un.</p><p>Deux.</p>", "tags": ["a", "b"], "featured": False}
    new = {"title": "Après", "body": "<p>Un.</p><p>Trois.</p>", "tags": ["a", "b"], "featured": True}
    changes = {change["name"]: change["lines"] for change in snapshot_diff(old, new)}
    assert set(changes) == {"title", "body", "featured"}
    assert changes["title"] == [("removed", "Avant"), ("added", "Après")]
    assert ("context", "<p>Un.</p>") in changes["body"]
    assert ("removed", "<p>Deux.</p>") in changes["body"]
    assert ("added", "<p>Trois.</p>") in changes["body"]


def test_editor_compares_two_versions(editor_client, editor_user):
    article = ArticleFactory(title="Première version", body="<p>Ancien paragraphe.</p>")
    old = services.article_revision_create(article=article, user=editor_user)
    article.title, article.body = "Seconde version", "<p>Nouveau <b>paragraphe</b>.</p>"
    article.save()
    new = services.article_revision_create(article=article, user=editor_user)

    # The order of the two does not matter: the older one is always the "before".
    response = editor_client.get(compare_url(article, new, old))
    assert response.status_code == 200
    content = response.content.decode()
    assert "revision-diff__removed" in content and "revision-diff__added" in content
    assert "Première version" in content and "Seconde version" in content
    # The old HTML is shown as text, never run.
    assert "&lt;b&gt;paragraphe&lt;/b&gt;" in content


def test_compare_with_bad_parameters(editor_client, editor_user):
    article = ArticleFactory()
    other = ArticleFactory()
    foreign = services.article_revision_create(article=other, user=editor_user)
    mine = services.article_revision_create(article=article, user=editor_user)
    url = reverse("admin:blog_article_revision_compare", args=[article.pk])
    assert editor_client.get(url + "?old=x&new=1").status_code == 302
    assert editor_client.get(url).status_code == 302
    assert editor_client.get(compare_url(article, foreign, mine)).status_code == 404


def test_editor_restores_an_older_version(editor_client, editor_user):
    category = CategoryFactory()
    article = ArticleFactory(title="Texte d'origine", category=category, tags=["Origine"])
    FurtherReadingFactory(article=article, title="Lien d'origine")
    original = services.article_revision_create(article=article, user=editor_user)

    article.title = "Texte remanié"
    article.category = None
    article.save()
    article.tags.set(["Nouveau"])
    FurtherReading.objects.all().delete()
    services.article_revision_create(article=article, user=editor_user)

    response = editor_client.post(restore_url(article, original))
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert article.title == "Texte d'origine"
    assert article.category == category
    assert list(article.tags.names()) == ["Origine"]
    assert list(article.further_reading.values_list("title", flat=True)) == ["Lien d'origine"]
    # Restoring is itself a new version, and is in the article's history.
    assert article.revisions.count() == 3
    assert "Restauration" in article.revisions.first().comment
    assert LogEntry.objects.filter(
        object_id=str(article.pk), change_message__startswith="Restauration"
    ).exists()


def test_the_restore_note_dates_the_version_in_french_local_time(editor_client, editor_user, settings):
    settings.TIME_ZONE = "Europe/Paris"
    article = ArticleFactory()
    old = services.article_revision_create(article=article, user=editor_user)
    ArticleRevision.objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2026, 3, 5, 23, 30, tzinfo=datetime.UTC)
    )
    editor_client.post(restore_url(article, old))
    note = LogEntry.objects.get(object_id=str(article.pk)).change_message
    assert note == "Restauration de la version du 06/03/2026 00:30."


def test_restore_leaves_the_publication_state_alone(editor_client, editor_user):
    article = ArticleFactory(draft=True)
    old = services.article_revision_create(article=article, user=editor_user)
    services.article_publish(article=article)
    editor_client.post(restore_url(article, old))
    assert Article.objects.get(pk=article.pk).is_public


def test_restore_refuses_a_get_and_a_foreign_version(editor_client, editor_user):
    article = ArticleFactory()
    other = ArticleFactory()
    foreign = services.article_revision_create(article=other, user=editor_user)
    assert editor_client.get(restore_url(article, foreign)).status_code == 405
    assert editor_client.post(restore_url(article, foreign)).status_code == 404


def test_restore_reports_a_slug_taken_since(editor_client, editor_user):
    article = ArticleFactory(slug="ancien-slug")
    old = services.article_revision_create(article=article, user=editor_user)
    article.slug = "nouveau-slug"
    article.save()
    ArticleFactory(slug="ancien-slug", published_at=article.published_at)
    response = editor_client.post(restore_url(article, old), follow=True)
    assert "n’a pas été restaurée" in response.content.decode()
    assert Article.objects.get(pk=article.pk).slug == "nouveau-slug"


def test_versions_page_lists_versions_and_offers_restore(editor_client, editor_user):
    article = ArticleFactory()
    services.article_revision_create(article=article, user=editor_user, comment="Première")
    services.article_revision_create(article=article, user=editor_user, comment="Seconde")
    response = editor_client.get(versions_url(article))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Première" in content and "Seconde" in content
    assert content.count("Restaurer cette version") == 1


def test_change_form_has_preview_and_versions_buttons(editor_client):
    article = ArticleFactory(draft=True)
    content = editor_client.get(change_url(article)).content.decode()
    assert reverse("blog:article_preview", args=[article.pk]) in content
    assert versions_url(article) in content


def test_author_cannot_see_or_restore_versions_of_someone_elses_article(
    author_client, other_author, editor_user
):
    article = ArticleFactory(author=other_author, draft=True, title="À eux")
    revision = services.article_revision_create(article=article, user=editor_user)
    assert author_client.get(versions_url(article)).status_code == 404
    assert author_client.get(compare_url(article, revision, revision)).status_code == 404
    assert author_client.post(restore_url(article, revision)).status_code == 404


def test_author_cannot_restore_into_their_published_article(author_client, author_user):
    article = ArticleFactory(author=author_user, title="En ligne")
    revision = services.article_revision_create(article=article, user=author_user)
    article.title = "En ligne, corrigé"
    article.save()
    assert author_client.get(versions_url(article)).status_code == 200
    assert author_client.post(restore_url(article, revision)).status_code == 403
    assert Article.objects.get(pk=article.pk).title == "En ligne, corrigé"


def test_versions_survive_a_keyword_merge(editor_user):
    article = ArticleFactory(tags=["Réseau"])
    revision = services.article_revision_create(article=article, user=editor_user)
    tag_merge(target=Tag.objects.create(name="Réseaux"), sources=Tag.objects.filter(name="Réseau"))
    services.article_revision_restore(revision=ArticleRevision.objects.get(pk=revision.pk), user=editor_user)
    assert list(Article.objects.get(pk=article.pk).tags.names()) == ["Réseau"]


def test_versions_keep_the_seo_and_long_form_fields(editor_client, editor_user):
    article = ArticleFactory(seo_title="Titre pour les moteurs", canonical_url="https://example.org/original")
    original = services.article_revision_create(article=article, user=editor_user)
    end = article.published_at + datetime.timedelta(days=30)
    Article.objects.filter(pk=article.pk).update(
        seo_title="", canonical_url="", noindex=True, table_of_contents=True, unpublish_at=end
    )
    article.refresh_from_db()
    changed = services.article_revision_create(article=article, user=editor_user)
    names = {change["name"] for change in snapshot_diff(original.data, changed.data)}
    assert names == {"seo_title", "canonical_url", "noindex", "table_of_contents", "unpublish_at"}

    editor_client.post(restore_url(article, original))
    article.refresh_from_db()
    assert article.seo_title == "Titre pour les moteurs"
    assert article.canonical_url == "https://example.org/original"
    assert not article.noindex and not article.table_of_contents
    assert article.unpublish_at == end  # the schedule is not content: left alone, as the publication date


def test_the_versions_page_names_the_new_fields_in_french(editor_client, editor_user):
    article = ArticleFactory()
    old = services.article_revision_create(article=article, user=editor_user)
    Article.objects.filter(pk=article.pk).update(noindex=True)
    article.refresh_from_db()
    new = services.article_revision_create(article=article, user=editor_user)
    html = editor_client.get(compare_url(article, old, new)).content.decode()
    assert "masquer aux moteurs de recherche" in html.lower()
