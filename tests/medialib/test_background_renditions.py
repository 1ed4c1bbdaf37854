"""Renditions are made by the worker, not the editor's request; pages show the stored image meanwhile."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from blog.models import Article
from medialib import images
from medialib.models import MediaImage
from tests.factories import ArticleFactory, MediaImageFactory
from tests.smtp_sink import database_queue

from .conftest import featured


@pytest.fixture
def worker(settings, transactional_db):
    """Tasks go to the database queue; calling the fixture runs the real worker on it."""
    with database_queue(settings) as run_worker:
        yield run_worker


def rendition_names(image_file, width, height):
    return [cache_file.name for cache_file, _w, _h in images.rendition_files(image_file, width, height)]


def featured_renditions(article):
    return rendition_names(
        article.featured_image, article.featured_image_width, article.featured_image_height
    )


def featured_figure(client, article):
    content = client.get(article.get_absolute_url()).content.decode()
    return re.search(r'<figure class="featured-image">.*?</figure>', content, re.S).group(0)


def test_saving_a_featured_image_leaves_its_renditions_to_the_worker(worker, client, fresh_storage):
    article = ArticleFactory(**featured())
    [row] = DBTaskResult.objects.all()
    assert row.task_path == "medialib.tasks.make_renditions"
    assert not any(fresh_storage.exists(name) for name in featured_renditions(article))

    # Meanwhile the page shows the stored image, at its own size: nothing broken, no layout shift.
    figure = featured_figure(client, article)
    assert "<source" not in figure
    img = re.search(r"<img [^>]+>", figure).group(0)
    assert f'src="{article.featured_image.url}"' in img
    assert f'srcset="{article.featured_image.url} 1600w"' in img
    assert 'width="1600" height="900"' in img
    assert client.get("/").status_code == 200

    worker()
    assert all(fresh_storage.exists(name) for name in featured_renditions(article))
    # Pages cached meanwhile were purged: they name the renditions now.
    figure = featured_figure(client, article)
    assert re.search(
        r'<source type="image/webp" srcset="\S+\.webp 400w, \S+\.webp 800w, \S+\.webp 1200w"', figure
    )
    assert 'width="800" height="450"' in figure


def test_a_library_image_shows_as_stored_in_texts_until_its_renditions_exist(worker, client, fresh_storage):
    image = MediaImageFactory()
    article = ArticleFactory(
        body=f'<p><img src="{image.file.url}" alt="Illustration" width="800" height="600"></p>'
    )
    assert not any(fresh_storage.exists(name) for name in rendition_names(image.file, 800, 600))
    content = client.get(article.get_absolute_url()).content.decode()
    assert f'<img src="{image.file.url}"' in content
    assert "<picture><source" not in content  # no address of a missing file

    worker()
    assert all(fresh_storage.exists(name) for name in rendition_names(image.file, 800, 600))
    assert "<picture><source" in Article.objects.get(pk=article.pk).body_html
    assert "<picture><source" in client.get(article.get_absolute_url()).content.decode()


def test_an_image_replaced_before_the_worker_ran_gets_only_its_own_renditions(worker, fresh_storage):
    article = ArticleFactory(**featured())
    first = article.featured_image.name
    article = Article.objects.get(pk=article.pk)
    article.featured_image = featured(1200, 800, name="autre.jpg")["featured_image"]
    article.save()
    assert DBTaskResult.objects.count() == 2
    worker()
    results = sorted(DBTaskResult.objects.values_list("return_value", flat=True))
    assert results == [0, 6]  # the replaced image's task found another image and made nothing
    assert not fresh_storage.exists(first)
    article = Article.objects.get(pk=article.pk)
    assert all(fresh_storage.exists(name) for name in featured_renditions(article))
    assert not article.featured_picture.pending


def test_without_a_worker_renditions_are_made_in_the_request(db, fresh_storage):
    article = ArticleFactory(**featured())
    assert all(fresh_storage.exists(name) for name in featured_renditions(article))
    assert not article.featured_picture.pending
    assert len(article.featured_picture.webp) == 3


def test_a_pending_mark_is_cleared_by_the_rebuild_command(worker, fresh_storage):
    image = MediaImageFactory()
    assert images.renditions_pending(name=image.file.name)
    call_command("regenerate_renditions", "--missing-only", stdout=StringIO())
    assert not images.renditions_pending(name=image.file.name)
    image = MediaImage.objects.get(pk=image.pk)
    assert len(images.picture_for(image.file, image.width, image.height).webp) == 2


# regenerate_renditions --background ----------------------------------------


def test_the_rebuild_can_be_left_to_the_worker(worker, fresh_storage):
    image = MediaImageFactory()
    worker()
    DBTaskResult.objects.all().delete()
    names = rendition_names(image.file, image.width, image.height)
    for name in names:
        fresh_storage.delete(name)
    out = StringIO()
    with translation.override("en"):
        call_command("regenerate_renditions", "--background", stdout=out)
    assert "The rebuild is queued" in out.getvalue()
    row = DBTaskResult.objects.get()
    assert row.task_path.endswith("regenerate_renditions.regenerate_renditions_task")
    assert not any(fresh_storage.exists(name) for name in names)  # the command wrote nothing
    with translation.override("en"):
        worker()
    assert all(fresh_storage.exists(name) for name in names)
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert "1 image: 4 renditions were written" in row.return_value


def test_background_and_dry_run_do_not_mix(worker):
    with pytest.raises(CommandError, match="--dry-run"):
        call_command("regenerate_renditions", "--background", "--dry-run", stdout=StringIO())


def test_without_a_worker_background_rebuilds_at_once(db, fresh_storage):
    image = MediaImageFactory()
    names = rendition_names(image.file, image.width, image.height)
    fresh_storage.delete(names[0])
    out = StringIO()
    with translation.override("en"):
        call_command("regenerate_renditions", "--background", stdout=out)
    assert "No background worker is configured" in out.getvalue()
    assert fresh_storage.exists(names[0])
