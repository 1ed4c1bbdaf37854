"""Who may do what with articles: enforced on the server, whatever the page shows."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from blog.models import Article, author_display_name
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:blog_article_changelist")
ADD = reverse("admin:blog_article_add")


def change_url(article):
    return reverse("admin:blog_article_change", args=[article.pk])


def refreshed(article):
    return Article.objects.get(pk=article.pk)


# Authors ---------------------------------------------------------------------------


def test_author_is_not_offered_publishing_in_the_form(author_client):
    response = author_client.get(ADD)
    assert response.status_code == 200
    choices = [value for value, _label in response.context["adminform"].form.fields["status"].choices]
    assert choices == ["draft", "review"]


def test_author_cannot_publish_by_posting_the_add_form(author_client, article_form_data):
    response = author_client.post(ADD, article_form_data(status="published"))
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_author_creates_a_draft_that_is_theirs_whatever_the_form_says(
    author_client, author_user, other_author, article_form_data
):
    response = author_client.post(
        ADD,
        article_form_data(
            author=other_author.pk,
            published_at_0="2020-01-01",
            published_at_1="10:00:00",
            featured="on",
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.author == author_user
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.featured is False


def test_author_submits_their_draft_through_the_form(author_client, author_user, article_form_data):
    article = ArticleFactory(
        author=author_user, draft=True, title="Un nouvel article", slug="un-nouvel-article"
    )
    response = author_client.post(change_url(article), article_form_data(status="review"))
    assert response.status_code == 302
    assert refreshed(article).status == Article.Status.REVIEW


def test_author_cannot_publish_their_draft_by_posting_the_change_form(
    author_client, author_user, article_form_data
):
    article = ArticleFactory(
        author=author_user, draft=True, title="Un nouvel article", slug="un-nouvel-article"
    )
    response = author_client.post(change_url(article), article_form_data(status="published"))
    assert response.status_code == 200
    assert refreshed(article).status == Article.Status.DRAFT


def test_author_cannot_publish_with_the_action_even_by_posting_it(author_client, author_user):
    article = ArticleFactory(author=author_user, draft=True)
    response = author_client.post(
        CHANGELIST, {"action": "publish", ACTION_CHECKBOX_NAME: [article.pk]}, follow=True
    )
    assert response.status_code == 200
    assert refreshed(article).status == Article.Status.DRAFT
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "publish" not in actions
    assert "unpublish" not in actions
    assert "delete_selected" not in actions
    assert "submit_for_review" in actions


def test_author_lists_only_their_own_articles(author_client, author_user, other_author):
    mine = ArticleFactory(author=author_user, draft=True, title="Mon brouillon")
    ArticleFactory(author=other_author, draft=True, title="Le brouillon d'un autre")
    response = author_client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [mine]


def test_author_cannot_open_someone_elses_article(author_client, other_author):
    article = ArticleFactory(author=other_author, draft=True)
    response = author_client.get(change_url(article))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_author_cannot_edit_someone_elses_article_by_posting(author_client, other_author, article_form_data):
    article = ArticleFactory(author=other_author, draft=True, title="Titre d'origine")
    response = author_client.post(change_url(article), article_form_data(title="Piraté"))
    assert response.status_code == 302
    assert refreshed(article).title == "Titre d'origine"


def test_author_cannot_submit_or_delete_someone_elses_article(author_client, other_author):
    article = ArticleFactory(author=other_author, draft=True)
    author_client.post(CHANGELIST, {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [article.pk]})
    author_client.post(reverse("admin:blog_article_delete", args=[article.pk]), {"post": "yes"})
    assert refreshed(article).status == Article.Status.DRAFT


def test_author_may_only_read_their_published_article(author_client, author_user, article_form_data):
    article = ArticleFactory(author=author_user, title="Publié", slug="publie")
    response = author_client.get(change_url(article))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    response = author_client.post(change_url(article), article_form_data(title="Changé en douce"))
    assert response.status_code == 403
    assert refreshed(article).title == "Publié"


def test_author_may_delete_their_own_draft(author_client, author_user):
    article = ArticleFactory(author=author_user, draft=True)
    response = author_client.post(reverse("admin:blog_article_delete", args=[article.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_author_previews_their_own_draft_only(author_client, author_user, other_author):
    mine = ArticleFactory(author=author_user, draft=True)
    theirs = ArticleFactory(author=other_author, draft=True)
    assert author_client.get(reverse("blog:article_preview", args=[mine.pk])).status_code == 200
    assert author_client.get(reverse("blog:article_preview", args=[theirs.pk])).status_code == 404


# Editors ---------------------------------------------------------------------------


def test_editor_edits_and_publishes_someone_elses_article(editor_client, author_user, article_form_data):
    article = ArticleFactory(author=author_user, status=Article.Status.REVIEW, published_at=None)
    response = editor_client.post(
        change_url(article),
        article_form_data(title="Relu et corrigé", status="published", author=author_user.pk),
    )
    assert response.status_code == 302
    article = refreshed(article)
    assert article.title == "Relu et corrigé"
    assert article.is_public
    assert article.author == author_user


def test_editor_schedules_an_article_with_a_future_date(editor_client, author_user, article_form_data):
    article = ArticleFactory(author=author_user, status=Article.Status.REVIEW, published_at=None)
    later = timezone.localtime() + datetime.timedelta(days=2)
    response = editor_client.post(
        change_url(article),
        article_form_data(
            status="published",
            author=author_user.pk,
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1=later.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302
    article = refreshed(article)
    assert article.is_scheduled
    assert not Article.objects.published().filter(pk=article.pk).exists()
    listing = editor_client.get(CHANGELIST + "?state=scheduled")
    assert list(listing.context["cl"].result_list) == [article]
    assert "status--scheduled" in listing.content.decode()


def test_editor_sees_every_article(editor_client, author_user, other_author):
    ArticleFactory(author=author_user, draft=True)
    ArticleFactory(author=other_author, status=Article.Status.REVIEW, published_at=None)
    response = editor_client.get(CHANGELIST)
    assert response.context["cl"].result_count == 2


# Moderators --------------------------------------------------------------------------


def test_moderator_cannot_touch_articles(moderator_client, article_form_data, author_user):
    article = ArticleFactory(author=author_user, draft=True, title="Intact")
    assert moderator_client.get(CHANGELIST).status_code == 403
    assert moderator_client.get(ADD).status_code == 403
    assert moderator_client.get(change_url(article)).status_code == 403
    assert moderator_client.post(change_url(article), article_form_data(title="Non")).status_code == 403
    action = {"action": "publish", ACTION_CHECKBOX_NAME: [article.pk]}
    assert moderator_client.post(CHANGELIST, action).status_code == 403
    assert moderator_client.get(reverse("blog:article_preview", args=[article.pk])).status_code == 404
    assert refreshed(article).title == "Intact"
    assert refreshed(article).status == Article.Status.DRAFT


def test_moderator_reaches_the_comments(moderator_client):
    response = moderator_client.get(reverse("admin:django_comments_xtd_xtdcomment_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(("field_name", "term"), [("tags", "veil"), ("category", "strat")])
def test_author_can_use_the_keyword_and_category_pickers(author_client, field_name, term):
    ArticleFactory(tags=["Veille"], category__name="Stratégie")
    response = author_client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "blog", "model_name": "article", "field_name": field_name},
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_author_cannot_pick_the_author(author_client, author_user):
    response = author_client.get(
        reverse("admin:autocomplete"),
        {"term": "a", "app_label": "blog", "model_name": "article", "field_name": "author"},
    )
    assert response.status_code == 403


def test_moderator_cannot_see_article_versions(moderator_client):
    article = ArticleFactory()
    response = moderator_client.get(reverse("admin:blog_article_revisions", args=[article.pk]))
    assert response.status_code == 403


def test_publishing_onto_a_slug_taken_that_day_is_a_form_error(editor_client, author_user, article_form_data):
    online = ArticleFactory(slug="meme-slug")
    article = ArticleFactory(author=author_user, status=Article.Status.REVIEW, published_at=None)
    local = timezone.localtime(online.published_at)
    response = editor_client.post(
        change_url(article),
        article_form_data(
            slug="meme-slug",
            status="published",
            author=author_user.pk,
            published_at_0=local.strftime("%Y-%m-%d"),
            published_at_1=local.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert refreshed(article).status == Article.Status.REVIEW


def test_editor_previews_an_authors_draft_exactly_as_it_will_look(editor_client, author_user):
    article = ArticleFactory(author=author_user, draft=True, title="Bientôt en ligne")
    response = editor_client.get(reverse("blog:article_preview", args=[article.pk]))
    assert response.status_code == 200
    assert response.templates[0].name == "blog/article_detail.html"
    content = response.content.decode()
    assert "Bientôt en ligne" in content
    assert 'name="robots" content="noindex"' in content


def test_readers_never_reach_a_preview(client, reader):
    article = ArticleFactory(draft=True)
    url = reverse("blog:article_preview", args=[article.pk])
    assert client.get(url).status_code == 404
    client.force_login(reader)
    assert client.get(url).status_code == 404


# Forged requests ---------------------------------------------------------------------


@pytest.mark.parametrize("selected", ["", "x", "1.5", "-1", "9" * 30])
@pytest.mark.parametrize("action", ["publish", "unpublish", "submit_for_review", "send_back_to_draft"])
def test_a_forged_action_with_a_bad_selection_is_refused_not_a_crash(editor_client, action, selected):
    article = ArticleFactory(draft=True)
    editor_client.raise_request_exception = False
    response = editor_client.post(CHANGELIST, {"action": action, ACTION_CHECKBOX_NAME: [selected]})
    assert response.status_code in (302, 400)
    assert refreshed(article).status == Article.Status.DRAFT


# Accounts ---------------------------------------------------------------------------


def test_only_superusers_read_the_accounts(editor_client, author_user):
    for url in (
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[author_user.pk]),
    ):
        assert editor_client.get(url).status_code == 403
    assert editor_client.get(reverse("admin:blog_authorprofile_changelist")).status_code == 200


def test_the_editor_still_picks_any_author_of_the_newsroom(editor_client, author_user, other_author):
    response = editor_client.get(ADD)
    field = response.context["adminform"].form.fields["author"]
    offered = {str(value) for value, _label in field.choices}
    assert {str(author_user.pk), str(other_author.pk)} <= offered
    assert field.label_from_instance(author_user) == author_display_name(author_user)
