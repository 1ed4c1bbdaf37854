"""A database made before versions, media and imported items left the blog app keeps all of them.

The database is taken back to the schema of that time, filled through the
models as they were, then migrated forwards; every row, permission and link
to a content type must still be there, now under its new app.
"""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from editorial.models import ArticleRevision
from medialib.models import MediaImage
from wordpress.models import ImportedItem

BEFORE = [("blog", "0009_article_body_html"), ("editorial", None), ("medialib", None), ("wordpress", None)]
MOVED = {"mediaimage": "medialib", "articlerevision": "editorial", "importeditem": "wordpress"}


def migrate(targets):
    """Apply or unapply migrations up to ``targets``; return the models as they are then."""
    MigrationExecutor(connection).migrate(targets)
    nodes = [target for target in targets if target[1] is not None]
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_rows_permissions_and_content_types_survive_the_move():
    try:
        old = migrate(BEFORE)
        old_types = old.get_model("contenttypes", "ContentType")
        Article = old.get_model("blog", "Article")
        user = old.get_model("auth", "User").objects.create(username="ancienne", is_staff=True)
        article = Article.objects.create(
            title="Avant le déménagement",
            slug="avant",
            body="<p>Texte.</p>",
            status="published",
            published_at=timezone.now(),
            publication_date=timezone.localdate(),
            author=user,
        )
        revision = old.get_model("blog", "ArticleRevision").objects.create(
            article=article, user=user, comment="Première version", data={"title": article.title}
        )
        image = old.get_model("blog", "MediaImage").objects.create(
            file="library/2026/12/photo.jpg", width=800, height=600, alt_text="Une photo", uploaded_by=user
        )
        article_type = old_types.objects.get_or_create(app_label="blog", model="article")[0]
        item = old.get_model("blog", "ImportedItem").objects.create(
            source="exemple.fr", kind="post", wp_id="42", content_type=article_type, object_id=article.pk
        )
        type_ids = {
            model: old_types.objects.get_or_create(app_label="blog", model=model)[0].pk for model in MOVED
        }
        Permission = old.get_model("auth", "Permission")
        permission = Permission.objects.get_or_create(
            codename="add_mediaimage",
            content_type_id=type_ids["mediaimage"],
            defaults={"name": "Can add image"},
        )[0]
        group = old.get_model("auth", "Group").objects.create(name="Photographes")
        group.permissions.add(permission)
    finally:
        migrate(latest())

    assert ArticleRevision.objects.get(pk=revision.pk).comment == "Première version"
    assert ArticleRevision.objects.get(pk=revision.pk).article.title == "Avant le déménagement"
    kept = MediaImage.objects.get(pk=image.pk)
    assert (kept.file.name, kept.width, kept.alt_text, kept.uploaded_by.username) == (
        "library/2026/12/photo.jpg",
        800,
        "Une photo",
        "ancienne",
    )
    assert ImportedItem.objects.get(pk=item.pk).content_object.title == "Avant le déménagement"
    for model, app_label in MOVED.items():
        # The same content type, relabelled: permissions and admin history follow it.
        assert ContentType.objects.get(pk=type_ids[model]).app_label == app_label
        assert not ContentType.objects.filter(app_label="blog", model=model).exists()
    assert Group.objects.get(name="Photographes").permissions.get().content_type.app_label == "medialib"
    assert Group.objects.get(name="Photographes").permissions.get().codename == "add_mediaimage"
