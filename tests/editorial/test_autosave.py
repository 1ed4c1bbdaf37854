"""The writing screen's autosave and live preview: what editors keep, what they may touch."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from blog.models import Article
from editorial.models import ArticleAutosave
from tests.factories import ArticleFactory, AuthorProfileFactory, AuthorUserFactory, image_upload

pytestmark = pytest.mark.django_db

ADD = reverse("admin:blog_article_add")
AUTOSAVE_NEW = reverse("admin:blog_article_autosave_new")
PREVIEW_NEW = reverse("admin:blog_article_live_preview_new")


def autosave_url(article):
    return reverse("admin:blog_article_autosave", args=[article.pk])


def preview_url(article):
    return reverse("admin:blog_article_live_preview", args=[article.pk])


def draft(article=None, **overrides):
    data = {
        "title": "Titre en cours",
        "excerpt": "Un chapeau",
        "body": "<p>Un texte qui avance.</p>",
        "seo_title": "",
        "seo_description": "",
        "based_on": article.updated_at.isoformat() if article is not None else "",
    }
    data.update(overrides)
    return data


def inline_management(**overrides):
    data = {}
    for prefix in ("further_reading", "coauthor_links"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


@pytest.fixture
def own_draft(author_user):
    return ArticleFactory(author=author_user, draft=True, title="Mon brouillon", body="<p>Avant.</p>")


# Autosave ------------------------------------------------------------------------


def test_autosave_keeps_the_draft_and_leaves_the_article_alone(editor_client, editor_user):
    article = ArticleFactory(title="Titre publié", body="<p>En ligne.</p>")
    updated_at = article.updated_at

    response = editor_client.post(autosave_url(article), draft(article, body="<p>Nouveau texte</p>"))

    assert response.status_code == 200
    time = timezone.localtime(ArticleAutosave.objects.get().saved_at).strftime("%H:%M")
    assert response.json()["message"] == gettext("Draft saved at %(time)s") % {"time": time}
    autosave = ArticleAutosave.objects.get()
    assert (autosave.article, autosave.user) == (article, editor_user)
    assert autosave.data["body"] == "<p>Nouveau texte</p>"
    assert autosave.based_on == updated_at
    assert "status" not in autosave.data and "published_at" not in autosave.data
    article.refresh_from_db()
    assert (article.title, article.body, article.updated_at) == (
        "Titre publié",
        "<p>En ligne.</p>",
        updated_at,
    )


def test_a_second_autosave_replaces_the_first(editor_client):
    article = ArticleFactory()
    editor_client.post(autosave_url(article), draft(article, title="Premier"))
    editor_client.post(autosave_url(article), draft(article, title="Second"))
    assert list(ArticleAutosave.objects.values_list("data__title", flat=True)) == ["Second"]


def test_an_author_may_not_autosave_another_authors_article(author_client, other_author):
    theirs = ArticleFactory(author=other_author, draft=True)
    response = author_client.post(autosave_url(theirs), draft(theirs))
    assert response.status_code == 404
    assert "message" in response.json()
    assert not ArticleAutosave.objects.exists()


def test_an_author_may_not_autosave_their_published_article(author_client, author_user):
    published = ArticleFactory(author=author_user)
    response = author_client.post(autosave_url(published), draft(published))
    assert response.status_code == 403
    assert response.json()["message"] == gettext("You may not change this article.")
    assert not ArticleAutosave.objects.exists()


def test_an_author_autosaves_their_own_draft(author_client, own_draft):
    assert author_client.post(autosave_url(own_draft), draft(own_draft)).status_code == 200
    assert ArticleAutosave.objects.filter(article=own_draft).exists()


def test_a_moderator_may_not_autosave_at_all(moderator_client):
    article = ArticleFactory()
    assert moderator_client.post(autosave_url(article), draft(article)).status_code in (403, 404)
    assert moderator_client.post(AUTOSAVE_NEW, draft()).status_code == 403
    assert not ArticleAutosave.objects.exists()


def test_saved_by_someone_else_since_the_form_was_opened_is_a_conflict(
    editor_client, editor_user, author_user
):
    AuthorProfileFactory(user=author_user, display_name="Léa Martin")
    article = ArticleFactory(author=author_user, draft=True)
    loaded = article.updated_at
    # Meanwhile the author saves the article from the admin (a version records who).
    article.title = "Changé ailleurs"
    article.save()
    article.revisions.create(user=author_user, data={"title": article.title})

    response = editor_client.post(autosave_url(article), draft(article, based_on=loaded.isoformat()))

    assert response.status_code == 409
    message = response.json()["message"]
    when = timezone.localtime(article.updated_at).strftime("%H:%M")
    assert message == gettext(
        "This article was changed by %(name)s at %(time)s: your draft is kept, "
        "reload the page to see their version and restore your draft."
    ) % {"name": "Léa Martin", "time": when}
    # The editor's text is kept, the article is not touched.
    assert ArticleAutosave.objects.get().data["title"] == "Titre en cours"
    article.refresh_from_db()
    assert article.title == "Changé ailleurs"


def test_the_add_page_autosaves_per_user_with_no_article(editor_client, editor_user, author_client):
    assert editor_client.post(AUTOSAVE_NEW, draft(title="Nouvel article")).status_code == 200
    assert editor_client.post(AUTOSAVE_NEW, draft(title="Nouvel article, suite")).status_code == 200
    assert author_client.post(AUTOSAVE_NEW, draft(title="Celui de l'autrice")).status_code == 200

    mine = ArticleAutosave.objects.get(user=editor_user)
    assert mine.article is None and mine.data["title"] == "Nouvel article, suite"
    assert ArticleAutosave.objects.count() == 2
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"based_on": ""}, "based_on"),
        ({"based_on": "pas une date"}, "based_on"),
        ({"title": "x" * 201}, "title"),
        ({"seo_description": "x" * 161}, "seo_description"),
    ],
)
def test_bad_input_is_refused_with_a_message(editor_client, overrides, field):
    article = ArticleFactory()
    response = editor_client.post(autosave_url(article), draft(article, **overrides))
    assert response.status_code == 400
    answer = response.json()
    assert answer["message"].startswith(gettext("Autosave failed: %(reason)s") % {"reason": ""})
    assert field in answer["errors"]
    assert not ArticleAutosave.objects.exists()


def test_autosave_answers_get_and_unknown_articles_without_an_error_page(editor_client):
    assert editor_client.get(AUTOSAVE_NEW).status_code == 405
    response = editor_client.post(reverse("admin:blog_article_autosave", args=[999999]), draft())
    assert response.status_code == 404
    assert "message" in response.json()


def test_autosave_needs_a_signed_in_staff_member(client):
    article = ArticleFactory()
    response = client.post(autosave_url(article), draft(article))
    assert response.status_code == 302
    assert not ArticleAutosave.objects.exists()


def test_discard_deletes_only_the_editors_own_autosave(editor_client, editor_user, author_user, own_draft):
    ArticleAutosave.objects.create(article=own_draft, user=editor_user, data={"title": "Mien"})
    ArticleAutosave.objects.create(article=own_draft, user=author_user, data={"title": "Le sien"})
    url = reverse("admin:blog_article_autosave_discard", args=[own_draft.pk])
    assert editor_client.post(url).status_code == 200
    assert list(ArticleAutosave.objects.values_list("data__title", flat=True)) == ["Le sien"]


# Recovery ------------------------------------------------------------------------


def screen_config(response):
    html = response.content.decode()
    start = html.index('<script id="writing-screen-config" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_the_form_offers_an_autosave_newer_than_the_article(editor_client, editor_user):
    article = ArticleFactory()
    ArticleAutosave.objects.create(
        article=article,
        user=editor_user,
        data={"title": "Texte repris", "body": "<p>Gardé</p>"},
        based_on=article.updated_at,
        saved_at=article.updated_at + datetime.timedelta(minutes=5),
    )
    config = screen_config(editor_client.get(reverse("admin:blog_article_change", args=[article.pk])))
    offer = config["autosave"]
    assert offer["data"] == {"title": "Texte repris", "body": "<p>Gardé</p>"}
    time = (article.updated_at + datetime.timedelta(minutes=5)).astimezone(timezone.get_current_timezone())
    assert offer["label"] == gettext("Restore the autosaved draft of %(time)s") % {
        "time": time.strftime("%H:%M")
    }
    assert offer["stale"] is False
    assert config["urls"]["autosave"] == autosave_url(article)
    assert config["based_on"] == article.updated_at.isoformat()
    assert config["words_per_minute"] > 0


def test_an_autosave_older_than_the_article_is_not_offered(editor_client, editor_user):
    article = ArticleFactory()
    ArticleAutosave.objects.create(
        article=article,
        user=editor_user,
        data={"title": "Périmé"},
        saved_at=article.updated_at - datetime.timedelta(minutes=5),
    )
    config = screen_config(editor_client.get(reverse("admin:blog_article_change", args=[article.pk])))
    assert config["autosave"] is None


def test_someone_elses_autosave_is_never_offered(editor_client, author_user, own_draft):
    ArticleAutosave.objects.create(
        article=own_draft,
        user=author_user,
        data={"title": "Le sien"},
        saved_at=own_draft.updated_at + datetime.timedelta(minutes=5),
    )
    config = screen_config(editor_client.get(reverse("admin:blog_article_change", args=[own_draft.pk])))
    assert config["autosave"] is None


def test_the_add_page_offers_the_users_new_article_draft(editor_client, editor_user):
    ArticleAutosave.objects.create(article=None, user=editor_user, data={"title": "Pas encore créé"})
    config = screen_config(editor_client.get(ADD))
    assert config["autosave"]["data"]["title"] == "Pas encore créé"
    assert config["urls"]["autosave"] == AUTOSAVE_NEW


def test_the_writing_screen_layout_and_scripts(editor_client):
    article = ArticleFactory()
    html = editor_client.get(reverse("admin:blog_article_change", args=[article.pk])).content.decode()
    assert 'class="writing-layout__main"' in html and 'class="writing-layout__side"' in html
    assert "editorial/writing.js" in html and "editorial/writing.css" in html
    assert 'id="writing-autosave-status" role="status" aria-live="polite"' in html
    side = html[html.index('class="writing-layout__side"') :]
    for field in ("id_status", "id_published_at_0", "id_unpublish_at_0", "id_author", "id_category"):
        assert f'id="{field}"' in side, field
    main = html[html.index('class="writing-layout__main"') : html.index('class="writing-layout__side"')]
    assert 'id="id_title"' in main and 'id="id_body"' in main


# A real save deletes the autosave ------------------------------------------------------


def test_saving_the_form_deletes_the_editors_autosave(editor_client, editor_user, author_user, own_draft):
    ArticleAutosave.objects.create(article=own_draft, user=editor_user, data={"title": "Mien"})
    ArticleAutosave.objects.create(article=own_draft, user=author_user, data={"title": "Le sien"})
    data = inline_management(
        title="Enregistré",
        slug=own_draft.slug,
        excerpt="",
        body="<p>Le texte.</p>",
        status="draft",
        author=author_user.pk,
        comments_enabled="on",
        new_tags="",
        seo_description="",
    )
    response = editor_client.post(reverse("admin:blog_article_change", args=[own_draft.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(ArticleAutosave.objects.values_list("data__title", flat=True)) == ["Le sien"]


def test_adding_the_article_deletes_the_add_page_autosave(editor_client, editor_user):
    ArticleAutosave.objects.create(article=None, user=editor_user, data={"title": "Un nouvel article"})
    data = inline_management(
        title="Un nouvel article",
        slug="un-nouvel-article",
        excerpt="",
        body="<p>Le texte.</p>",
        status="draft",
        author=editor_user.pk,
        comments_enabled="on",
        new_tags="",
        seo_description="",
    )
    response = editor_client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not ArticleAutosave.objects.exists()


# Live preview -----------------------------------------------------------------------


def preview_form(author, **overrides):
    fields = {
        "title": "Titre pas encore enregistré",
        "slug": "titre-pas-encore-enregistre",
        "excerpt": "Un chapeau tout neuf",
        "body": '<p>Texte tapé à l\'instant <script>alert("x")</script><img src="x" onerror="alert(1)"></p>',
        "status": "draft",
        "author": author.pk,
        "comments_enabled": "on",
        "new_tags": "Nouveau mot-clé, Veille",
        "seo_description": "",
    }
    fields.update(overrides)
    return inline_management(**fields)


def assert_private_frameable(response):
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_the_preview_shows_the_unsaved_form_sanitised_and_saves_nothing(editor_client, editor_user):
    article = ArticleFactory(title="Titre enregistré", body="<p>Ancien texte.</p>")
    updated_at = article.updated_at

    response = editor_client.post(preview_url(article), preview_form(editor_user))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Titre pas encore enregistré" in html and "Texte tapé à l" in html
    assert "Ancien texte" not in html
    assert "alert" not in html and "onerror" not in html
    assert "Nouveau mot-clé" in html
    assert '<meta name="robots" content="noindex">' in html
    assert_private_frameable(response)
    article.refresh_from_db()
    assert (article.title, article.updated_at) == ("Titre enregistré", updated_at)
    assert not article.tags.filter(name="Nouveau mot-clé").exists()


def test_the_add_page_preview_creates_no_article(editor_client, editor_user):
    response = editor_client.post(PREVIEW_NEW, preview_form(editor_user))
    assert response.status_code == 200
    assert "Titre pas encore enregistré" in response.content.decode()
    assert_private_frameable(response)
    assert not Article.objects.exists()


def test_an_author_previews_their_draft_but_not_anothers(author_client, author_user, other_author, own_draft):
    assert author_client.post(preview_url(own_draft), preview_form(author_user)).status_code == 200
    theirs = ArticleFactory(author=other_author, draft=True, title="Le sien")
    response = author_client.post(preview_url(theirs), preview_form(author_user))
    assert response.status_code == 404
    assert "Le sien" not in response.content.decode()


def test_an_invalid_form_gets_a_readable_preview_page(editor_client, editor_user):
    article = ArticleFactory()
    response = editor_client.post(preview_url(article), preview_form(editor_user, title=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        gettext("Preview unavailable") in html
        and str(Article._meta.get_field("title").verbose_name).capitalize() in html
    )
    assert_private_frameable(response)


def test_the_preview_is_not_opened_with_get(editor_client):
    article = ArticleFactory()
    response = editor_client.get(preview_url(article))
    assert response.status_code == 405


def test_the_preview_shows_the_co_authors_of_the_form(editor_client, editor_user):
    article = ArticleFactory()
    coauthor = AuthorProfileFactory(user=AuthorUserFactory(), display_name="Noé Petit").user
    data = preview_form(editor_user)
    data.update(
        {
            "coauthor_links-TOTAL_FORMS": "1",
            "coauthor_links-0-user": str(coauthor.pk),
            "coauthor_links-0-position": "1",
        }
    )
    response = editor_client.post(preview_url(article), data)
    assert response.status_code == 200
    assert "Noé Petit" in response.content.decode()
    assert not article.coauthor_links.exists()


def test_a_featured_image_just_chosen_is_not_stored_by_the_preview(editor_client, editor_user):
    article = ArticleFactory()
    data = preview_form(editor_user, featured_image_alt="Une photo")
    data["featured_image"] = image_upload("nouvelle.jpg")
    response = editor_client.post(preview_url(article), data)
    assert response.status_code == 200
    assert "nouvelle" not in response.content.decode()
    article.refresh_from_db()
    assert not article.featured_image


def test_a_form_the_user_may_only_read_has_no_autosave(author_client, author_user):
    published = ArticleFactory(author=author_user)
    response = author_client.get(reverse("admin:blog_article_change", args=[published.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "writing-screen-config" not in html
    assert 'class="writing-layout__main"' in html
