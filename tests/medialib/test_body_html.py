"""An article's shown body (``body_html``) is made when it is saved, and stays true
when the images it shows or the rendition sizes change."""

import hashlib
import importlib
import json
import re
import tarfile
from io import BytesIO, StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from blog import services
from blog.models import Article
from editorial.services import article_revision_create, article_revision_restore
from medialib.rendering import article_body, responsive_body
from siteops import backup
from tests.factories import ArticleFactory, MediaImageFactory, image_bytes

pytestmark = pytest.mark.django_db


def shown_in(image):
    return f'<p><img src="{image.file.url}" alt="Une illustration" width="800" height="600"></p>'


def stored(article):
    return Article.objects.values_list("body_html", flat=True).get(pk=article.pk)


def webp_widths(body_html):
    srcset = re.search(r'<source type="image/webp" srcset="([^"]+)"', body_html).group(1)
    return [int(width) for width in re.findall(r" (\d+)w", srcset)]


@pytest.fixture
def bodies_changed(monkeypatch):
    """The ids passed to the hook that tells the caches about refreshed bodies."""
    calls = []
    monkeypatch.setattr(services, "article_bodies_changed", lambda *, pks: calls.append(sorted(pks)))
    return calls


# Made when the article is saved
# ------------------------------------------------------------------------------
def test_saving_an_article_gives_its_library_images_their_renditions():
    image = MediaImageFactory()
    article = ArticleFactory(body=shown_in(image) + "<p>Suite du texte.</p>")
    body_html = stored(article)
    assert body_html.startswith('<p><picture><source type="image/webp"')
    assert f'src="{image.file.url}"' in body_html
    assert webp_widths(body_html) == [400, 800]
    assert body_html.endswith("</picture></p><p>Suite du texte.</p>")


def test_the_filter_and_the_saved_body_agree():
    image = MediaImageFactory()
    article = ArticleFactory(body=shown_in(image))
    rendered = Template("{% load medialib %}{{ body|safe|responsive_images }}").render(
        Context({"body": article.body})
    )
    assert rendered == stored(article)


def test_a_text_without_library_images_is_shown_as_saved():
    article = ArticleFactory(body='<p>Texte <img src="https://example.org/ailleurs.jpg" alt="x"></p>')
    assert stored(article) == article.body
    assert "<picture>" not in article.body_html


def test_what_is_shown_is_sanitised_first():
    article = ArticleFactory(body='<p onclick="alert(1)">Bonjour<script>alert(2)</script></p>')
    assert stored(article) == "<p>Bonjour</p>"


def test_saving_only_the_body_writes_the_shown_body_too():
    article = ArticleFactory(body="<p>Avant</p>")
    image = MediaImageFactory()
    article.body = shown_in(image)
    article.save(update_fields=["body", "updated_at"])
    assert "<picture>" in stored(article)


def test_saving_other_fields_does_not_look_at_the_library():
    article = ArticleFactory(body=shown_in(MediaImageFactory()))
    article.title = "Nouveau titre"
    with CaptureQueriesContext(connection) as queries:
        article.save(update_fields=["title", "updated_at"])
    assert not [q for q in queries.captured_queries if "blog_mediaimage" in q["sql"]]
    assert "<picture>" in stored(article)


def test_library_images_cost_one_query_when_saved_whatever_their_number():
    library = [MediaImageFactory() for _ in range(5)]
    body = "".join(shown_in(image) for image in library)
    with CaptureQueriesContext(connection) as queries:
        body_html = responsive_body(body)
    assert body_html.count("<picture>") == 5
    assert len(queries.captured_queries) == 1


def test_the_article_page_shows_the_saved_body(client):
    article = ArticleFactory(body=shown_in(MediaImageFactory()))
    Article.objects.filter(pk=article.pk).update(body_html="<p>La version enregistrée.</p>")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<p>La version enregistrée.</p>" in content
    assert "<picture>" not in content


def test_restoring_a_version_restores_its_shown_body():
    image = MediaImageFactory()
    article = ArticleFactory(body=shown_in(image))
    old = article_revision_create(article=article)
    article.body = "<p>Sans image.</p>"
    article.save()
    assert stored(article) == "<p>Sans image.</p>"
    article_revision_restore(revision=old)
    assert "<picture>" in stored(article)


# Kept true when what it is made of changes
# ------------------------------------------------------------------------------
def test_replacing_an_image_file_updates_the_articles_that_showed_it(
    django_capture_on_commit_callbacks, bodies_changed
):
    image = MediaImageFactory()
    article = ArticleFactory(body=shown_in(image))
    other = ArticleFactory(body="<p>Sans image.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        image.file = ContentFile(image_bytes(1200, 900), name="nouvelle.jpg")
        image.save()
    # The old file and its renditions are gone: the text keeps its plain image.
    assert "<picture>" not in stored(article)
    assert stored(article) == Article.objects.get(pk=article.pk).body
    assert bodies_changed == [[article.pk]]
    assert stored(other) == "<p>Sans image.</p>"


def test_an_image_saved_after_the_text_that_shows_it_updates_it(bodies_changed):
    image = MediaImageFactory()
    article = ArticleFactory(body=shown_in(image))
    # As left by a raw load, or by a text saved before its image.
    Article.objects.filter(pk=article.pk).update(body_html=article.body)
    image.save()
    assert "<picture>" in stored(article)


def test_changing_only_the_description_of_an_image_writes_no_article():
    image = MediaImageFactory()
    article = ArticleFactory(body=shown_in(image))
    image.alt_text = "Une autre description"
    with CaptureQueriesContext(connection) as queries:
        image.save(update_fields=["alt_text"])
    assert not [q for q in queries.captured_queries if "blog_article" in q["sql"]]
    assert "<picture>" in stored(article)


def test_deleting_an_image_updates_the_articles_that_showed_it(
    django_capture_on_commit_callbacks, bodies_changed
):
    image = MediaImageFactory()
    article = ArticleFactory(body=shown_in(image))
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert stored(article) == Article.objects.get(pk=article.pk).body
    assert bodies_changed == [[article.pk]]


def test_a_refresh_leaves_a_text_edited_meanwhile_alone(monkeypatch, settings):
    article = ArticleFactory(body=shown_in(MediaImageFactory()))
    settings.BLOG_RENDITION_WIDTHS = [300, 600]

    def edited_meanwhile(html, **kwargs):
        # Between the refresh's read and its write, an editor saves a new text.
        Article.objects.filter(pk=article.pk).update(body="<p>Nouveau</p>", body_html="<p>Nouveau</p>")
        return article_body(html, **kwargs)

    monkeypatch.setattr(services, "article_body", edited_meanwhile)
    assert services.article_bodies_refresh(articles=Article.objects.all()) == []
    assert stored(article) == "<p>Nouveau</p>"


def test_refreshing_an_up_to_date_body_writes_nothing(django_capture_on_commit_callbacks, bodies_changed):
    ArticleFactory(body=shown_in(MediaImageFactory()))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.article_bodies_refresh(articles=Article.objects.all()) == []
    assert bodies_changed == []


def test_refreshing_does_not_change_the_modification_date(settings):
    article = ArticleFactory(body=shown_in(MediaImageFactory()))
    updated_at = Article.objects.get(pk=article.pk).updated_at
    settings.BLOG_RENDITION_WIDTHS = [300, 600]
    assert services.article_bodies_refresh(articles=Article.objects.all()) == [article.pk]
    assert Article.objects.get(pk=article.pk).updated_at == updated_at


# The operator's command, the migration, a restore
# ------------------------------------------------------------------------------
def run_regenerate(*args):
    out = StringIO()
    with translation.override("en"):
        call_command("regenerate_renditions", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_regenerating_renditions_updates_the_shown_bodies(settings, bodies_changed):
    article = ArticleFactory(body=shown_in(MediaImageFactory()))
    plain = ArticleFactory(body="<p>Sans image.</p>")
    settings.BLOG_RENDITION_WIDTHS = [300, 600]
    out = run_regenerate()
    assert "1 article text was updated." in out
    assert webp_widths(stored(article)) == [300, 600]
    assert stored(plain) == "<p>Sans image.</p>"


def test_a_dry_run_leaves_the_shown_bodies_alone(settings):
    article = ArticleFactory(body=shown_in(MediaImageFactory()))
    settings.BLOG_RENDITION_WIDTHS = [300, 600]
    out = run_regenerate("--dry-run")
    assert "1 article text would be updated." in out
    assert webp_widths(stored(article)) == [400, 800]


def test_the_migration_fills_the_existing_articles():
    migration = importlib.import_module("blog.migrations.0009_article_body_html")
    image = MediaImageFactory()
    illustrated = ArticleFactory(body=shown_in(image))
    plain = ArticleFactory(body="<p>Sans image.</p>")
    empty = ArticleFactory(body="")
    Article.objects.update(body_html="")
    # The models as they were at that migration (the media library was then a blog model).
    state = MigrationLoader(connection).project_state(("blog", "0009_article_body_html"))
    migration.fill_body_html(state.apps, None)
    assert webp_widths(stored(illustrated)) == [400, 800]
    assert stored(plain) == "<p>Sans image.</p>"
    assert stored(empty) == ""


def without_body_html(path):
    """The archive at ``path`` with no shown bodies in its data: restore makes them anew."""
    members = {}
    with tarfile.open(path) as archive:
        for member in archive.getmembers():
            members[member.name] = archive.extractfile(member).read()
    data = members[backup.DATA_FILE].decode()
    members[backup.DATA_FILE] = re.sub(
        r'<field name="body_html"[^>]*>.*?</field>', "", data, flags=re.S
    ).encode()
    assert "body_html" not in members[backup.DATA_FILE].decode()
    # The manifest vouches for the edited data, as the backup of that time would have.
    manifest = json.loads(members[backup.MANIFEST])
    manifest["files"][backup.DATA_FILE] = {
        "size": len(members[backup.DATA_FILE]),
        "sha256": hashlib.sha256(members[backup.DATA_FILE]).hexdigest(),
    }
    members[backup.MANIFEST] = json.dumps(manifest).encode()
    with tarfile.open(path, "w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, BytesIO(content))


def test_restoring_an_older_backup_makes_the_shown_bodies(tmp_path):
    image = MediaImageFactory()
    article = ArticleFactory(body=shown_in(image))
    expected = stored(article)
    path = tmp_path / "site.tar.gz"
    backup.site_backup(path=path)
    without_body_html(path)
    backup.site_restore(path=path, force=True)
    assert stored(article) == expected
