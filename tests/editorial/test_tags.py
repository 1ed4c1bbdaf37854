"""Keywords: how much each is used, the unused ones, and merging duplicates."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from blog import services
from blog.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:taggit_tag_changelist")


def tag(name):
    return Tag.objects.get(name=name)


def names_of(article):
    return sorted(Article.objects.get(pk=article.pk).tags.names())


def test_merge_moves_articles_and_deletes_the_duplicates():
    one = ArticleFactory(tags=["Réseaux sociaux"])
    two = ArticleFactory(tags=["reseaux sociaux"])
    both = ArticleFactory(tags=["Réseaux sociaux", "reseaux sociaux", "réseaux-sociaux", "Twitter"])
    deleted = services.tag_merge(
        target=tag("Réseaux sociaux"), sources=[tag("reseaux sociaux"), tag("réseaux-sociaux")]
    )
    assert deleted == 2
    assert names_of(one) == ["Réseaux sociaux"]
    assert names_of(two) == ["Réseaux sociaux"]
    assert names_of(both) == ["Réseaux sociaux", "Twitter"]
    assert set(Tag.objects.values_list("name", flat=True)) == {"Réseaux sociaux", "Twitter"}


def test_merge_keeps_one_target_when_an_article_had_several_sources():
    article = ArticleFactory(tags=["SEO", "seo (référencement)"])
    target = Tag.objects.create(name="Référencement")
    services.tag_merge(target=target, sources=Tag.objects.filter(name__icontains="seo"))
    assert names_of(article) == ["Référencement"]
    assert TaggedItem.objects.filter(object_id=article.pk).count() == 1


def test_merging_a_tag_into_itself_or_nothing_changes_nothing():
    ArticleFactory(tags=["Veille"])
    assert services.tag_merge(target=tag("Veille"), sources=[tag("Veille")]) == 0
    assert services.tag_merge(target=tag("Veille"), sources=[]) == 0
    assert Tag.objects.filter(name="Veille").exists()


def test_tag_list_shows_article_counts_and_finds_unused_tags(editor_client):
    ArticleFactory(tags=["Populaire"])
    ArticleFactory(tags=["Populaire"])
    Tag.objects.create(name="Orphelin")
    response = editor_client.get(CHANGELIST)
    assert response.status_code == 200
    counts = {t.name: t.article_count for t in response.context["cl"].result_list}
    assert counts == {"Populaire": 2, "Orphelin": 0}
    unused = editor_client.get(CHANGELIST + "?use=unused")
    assert [t.name for t in unused.context["cl"].result_list] == ["Orphelin"]
    used = editor_client.get(CHANGELIST + "?use=used")
    assert [t.name for t in used.context["cl"].result_list] == ["Populaire"]


def test_tag_search_still_feeds_the_article_keyword_autocomplete(editor_client):
    Tag.objects.create(name="Instagram")
    Tag.objects.create(name="TikTok")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "insta", "app_label": "blog", "model_name": "article", "field_name": "tags"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Instagram"]


def test_merge_action_asks_which_tag_to_keep_then_merges(editor_client):
    article = ArticleFactory(tags=["Facebook"])
    ArticleFactory(tags=["Facebook"])
    ArticleFactory(tags=["facebook (Meta)"])
    selected = [tag("Facebook").pk, tag("facebook (Meta)").pk]

    confirm = editor_client.post(CHANGELIST, {"action": "merge", ACTION_CHECKBOX_NAME: selected})
    assert confirm.status_code == 200
    assert [t.name for t in confirm.context["tags"]] == ["Facebook", "facebook (Meta)"]

    response = editor_client.post(
        CHANGELIST,
        {"action": "merge", ACTION_CHECKBOX_NAME: selected, "apply": "1", "target": tag("Facebook").pk},
        follow=True,
    )
    assert "1 mot-clé fusionné dans" in response.content.decode()
    assert list(Tag.objects.values_list("name", flat=True)) == ["Facebook"]
    assert names_of(article) == ["Facebook"]
    assert LogEntry.objects.get(object_id=str(tag("Facebook").pk)).change_message.startswith("Fusion de")


def test_merge_action_needs_two_tags_and_a_valid_target(editor_client):
    ArticleFactory(tags=["Seul", "Autre"])
    response = editor_client.post(
        CHANGELIST, {"action": "merge", ACTION_CHECKBOX_NAME: [tag("Seul").pk]}, follow=True
    )
    assert "Sélectionnez au moins deux mots-clés" in response.content.decode()
    selected = [tag("Seul").pk, tag("Autre").pk]
    response = editor_client.post(
        CHANGELIST, {"action": "merge", ACTION_CHECKBOX_NAME: selected, "apply": "1", "target": "999999"}
    )
    assert response.status_code == 200
    assert "Choisissez le mot-clé à conserver." in response.content.decode()
    assert Tag.objects.count() == 2


def test_authors_cannot_merge_tags(author_client):
    ArticleFactory(tags=["Un", "Deux"])
    selected = list(Tag.objects.values_list("pk", flat=True))
    response = author_client.post(
        CHANGELIST, {"action": "merge", ACTION_CHECKBOX_NAME: selected, "apply": "1", "target": selected[0]}
    )
    # Authors may read the keywords (for the article form) but get no merge action.
    assert response.context["action_form"] is None
    assert Tag.objects.count() == 2


def test_tag_changelist_query_count_does_not_grow(editor_client, django_assert_max_num_queries):
    ArticleFactory(tags=["A", "B"])
    with django_assert_max_num_queries(12) as small:
        editor_client.get(CHANGELIST)
    for index in range(15):
        ArticleFactory(tags=[f"Tag {index}", "A"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        editor_client.get(CHANGELIST)
