import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from blog.models import Article
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:blog_article_changelist")
ADD = reverse("admin:blog_article_add")


def article_form(category, author, **overrides):
    data = {
        "title": "Les nouveaux usages de LinkedIn",
        "slug": "nouveaux-usages-linkedin",
        "excerpt": "Un réseau qui change.",
        "body": "<p>Texte <script>alert(1)</script></p>",
        "category": category.pk,
        "status": Article.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "author": author.pk,
        "comments_enabled": "on",
        "seo_description": "",
        "new_tags": "B2B, Réseautage",
        "further_reading-TOTAL_FORMS": "1",
        "coauthor_links-TOTAL_FORMS": "0",
        "coauthor_links-INITIAL_FORMS": "0",
        "further_reading-INITIAL_FORMS": "0",
        "further_reading-MIN_NUM_FORMS": "0",
        "further_reading-MAX_NUM_FORMS": "1000",
        "further_reading-0-title": "Étude sur LinkedIn",
        "further_reading-0-url": "https://example.org/etude",
        "further_reading-0-position": "0",
    }
    data.update(overrides)
    return data


def test_changelist_search_and_filters(staff_client):
    ArticleFactory(title="Stratégie Instagram")
    ArticleFactory(title="Veille et outils", draft=True)
    ArticleFactory(title="Bientôt", scheduled=True)

    html = staff_client.get(CHANGELIST).content.decode()
    assert "Stratégie Instagram" in html and "Veille et outils" in html
    assert "Programmé" in html

    html = staff_client.get(CHANGELIST, {"q": "Instagram"}).content.decode()
    assert "Stratégie Instagram" in html and "Veille et outils" not in html

    html = staff_client.get(CHANGELIST, {"status__exact": "draft"}).content.decode()
    assert "Veille et outils" in html and "Stratégie Instagram" not in html


def test_changelist_query_count_is_bounded(staff_client, django_assert_max_num_queries):
    for _ in range(30):
        ArticleFactory()
    with django_assert_max_num_queries(14):
        assert staff_client.get(CHANGELIST).status_code == 200


def test_add_page_defaults_the_author_to_the_current_user(staff_client, staff_user):
    response = staff_client.get(ADD)
    assert response.status_code == 200
    assert response.context["adminform"].form.initial["author"] == staff_user.pk


def test_add_an_article_with_tags_and_further_reading(staff_client, staff_user):
    category = CategoryFactory()
    Tag.objects.create(name="LinkedIn")
    existing = Tag.objects.get(name="LinkedIn")

    response = staff_client.post(ADD, article_form(category, staff_user, tags=[existing.pk]))

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="nouveaux-usages-linkedin")
    assert sorted(article.tags.names()) == ["B2B", "LinkedIn", "Réseautage"]
    assert article.further_reading.get().url == "https://example.org/etude"
    assert "<script" not in article.body
    assert article.status == Article.Status.DRAFT


def test_tag_autocomplete_answers_with_existing_tags(staff_client):
    Tag.objects.create(name="Community management")
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"term": "commu", "app_label": "blog", "model_name": "article", "field_name": "tags"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Community management"]


def test_invalid_form_is_rerendered_with_messages(staff_client, staff_user):
    category = CategoryFactory()
    response = staff_client.post(
        ADD, article_form(category, staff_user, title="", status=Article.Status.PUBLISHED)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_change_page_shows_current_tags_and_view_on_site(staff_client):
    article = ArticleFactory(tags=["Twitter"])
    response = staff_client.get(reverse("admin:blog_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert [t.name for t in response.context["adminform"].form.initial["tags"]] == ["Twitter"]
    assert "Voir sur le site" in response.content.decode()


def test_view_on_site_points_to_the_preview_for_drafts(staff_client):
    draft = ArticleFactory(draft=True)
    html = staff_client.get(reverse("admin:blog_article_change", args=[draft.pk])).content.decode()
    assert reverse("blog:article_preview", kwargs={"pk": draft.pk}) in html


def test_publish_and_unpublish_actions(staff_client):
    draft = ArticleFactory(draft=True, published_at=None)
    response = staff_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert "1 article publié ou programmé." in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_public

    response = staff_client.post(
        CHANGELIST, {"action": "unpublish", "_selected_action": [draft.pk]}, follow=True
    )
    assert "1 article renvoyé aux brouillons." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_publish_action_reports_a_slug_clash_instead_of_failing(staff_client):
    ArticleFactory(slug="doublon", published_at=timezone.now())
    clash = ArticleFactory(slug="doublon", draft=True, published_at=None)

    response = staff_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [clash.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "Non publié (un autre article a la même adresse ce jour-là)" in response.content.decode()
    clash.refresh_from_db()
    assert clash.status == Article.Status.DRAFT


@pytest.mark.parametrize("model", ["article", "category", "authorprofile"])
def test_each_admin_changelist_add_and_search(staff_client, model):
    ArticleFactory()
    changelist = reverse(f"admin:blog_{model}_changelist")
    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(changelist, {"q": "x"}).status_code == 200
    assert staff_client.get(reverse(f"admin:blog_{model}_add")).status_code == 200


def test_admin_requires_staff(client, reader):
    client.force_login(reader)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert LogEntry.objects.count() == 0


def test_publishing_without_a_date_means_now(staff_client, staff_user):
    response = staff_client.post(
        ADD, article_form(CategoryFactory(), staff_user, status=Article.Status.PUBLISHED)
    )
    assert response.status_code == 302
    assert Article.objects.published().filter(slug="nouveaux-usages-linkedin").exists()


def test_slug_clash_on_the_same_day_is_a_form_error(staff_client, staff_user):
    ArticleFactory(slug="nouveaux-usages-linkedin", published_at=timezone.now())
    response = staff_client.post(
        ADD, article_form(CategoryFactory(), staff_user, status=Article.Status.PUBLISHED)
    )
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Article.objects.count() == 1


def test_user_admin_edits_the_author_profile(staff_client):
    from tests.factories import AuthorProfileFactory

    profile = AuthorProfileFactory(display_name="Claire Dupont")
    response = staff_client.get(reverse("admin:auth_user_change", args=[profile.user.pk]))
    assert response.status_code == 200
    assert "Claire Dupont" in response.content.decode()
    assert "Claire Dupont" in staff_client.get(reverse("admin:auth_user_changelist")).content.decode()
