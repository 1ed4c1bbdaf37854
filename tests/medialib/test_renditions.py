"""Featured images reach readers as small, lazily loaded renditions made once."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from medialib import images
from tests.factories import ArticleFactory, image_bytes

from .conftest import featured

pytestmark = pytest.mark.django_db


def rendition_names(article):
    return [
        cache_file.name
        for cache_file, _w, _h in images.rendition_files(
            article.featured_image, article.featured_image_width, article.featured_image_height
        )
    ]


def test_saving_an_image_makes_every_rendition(illustrated_article, fresh_storage):
    names = rendition_names(illustrated_article)
    assert len(names) == 6  # three widths, WebP and JPEG
    found = {}
    for name in names:
        with fresh_storage.open(name) as stored:
            image = Image.open(stored)
            found[(image.format, image.width)] = image.height
    assert found == {
        ("WEBP", 400): 225, ("WEBP", 800): 450, ("WEBP", 1200): 675,
        ("JPEG", 400): 225, ("JPEG", 800): 450, ("JPEG", 1200): 675,
    }  # fmt: skip


def test_renditions_are_made_once_and_reused(illustrated_article, client, storage_writes):
    url = illustrated_article.get_absolute_url()
    for _ in range(2):
        assert client.get(url).status_code == 200
        assert client.get("/").status_code == 200
    assert storage_writes == []  # pages never write renditions
    made_again = images.renditions_generate(
        image_file=illustrated_article.featured_image,
        width=illustrated_article.featured_image_width,
        height=illustrated_article.featured_image_height,
    )
    assert made_again == 0
    assert storage_writes == []


def test_small_images_are_never_enlarged(db, fresh_storage):
    article = ArticleFactory(**featured(500, 300))
    picture = article.featured_picture
    assert [r.width for r in picture.webp] == [400, 500]
    assert [r.height for r in picture.fallback] == [240, 300]
    for name in rendition_names(article):
        with fresh_storage.open(name) as stored:
            assert Image.open(stored).width in {400, 500}


def test_png_images_fall_back_to_png(db, fresh_storage):
    article = ArticleFactory(**featured(900, 600, name="schema.png", format="PNG"))
    picture = article.featured_picture
    assert picture.fallback_type == "image/png"
    assert all(r.url.endswith(".png") for r in picture.fallback)
    assert all(r.url.endswith(".webp") for r in picture.webp)


def test_article_page_shows_a_responsive_eager_image(illustrated_article, client):
    content = client.get(illustrated_article.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="featured-image">.*?</figure>', content, re.S).group(0)
    source = re.search(r"<source [^>]+>", figure).group(0)
    img = re.search(r"<img [^>]+>", figure).group(0)
    assert 'type="image/webp"' in source
    assert re.search(r'srcset="\S+\.webp 400w, \S+\.webp 800w, \S+\.webp 1200w"', source)
    assert re.search(r'srcset="\S+\.jpg 400w, \S+\.jpg 800w, \S+\.jpg 1200w"', img)
    assert 'sizes="(max-width: 900px) 100vw, 880px"' in img
    assert 'width="800" height="450"' in img  # the space is reserved: no layout shift
    assert 'alt="Une photo de test"' in img
    assert 'loading="eager"' in img and 'fetchpriority="high"' in img
    assert "Photo : Camille Durand" in figure
    # Above the text.
    assert content.index('class="featured-image"') < content.index('class="article__body"')


def test_every_srcset_address_is_a_stored_rendition(illustrated_article, client, fresh_storage):
    content = client.get(illustrated_article.get_absolute_url()).content.decode()
    urls = set(re.findall(r"(/media/renditions/\S+?\.(?:webp|jpg)) \d+w", content))
    assert len(urls) == 6
    for url in urls:
        assert fresh_storage.exists(url.removeprefix("/media/"))


def test_lists_load_only_the_first_image_eagerly(db, client):
    for _ in range(3):
        ArticleFactory(**featured(800, 400))
    content = client.get("/").content.decode()
    summary_figure = r'<figure class="featured-image featured-image--summary">.*?</figure>'
    figures = re.findall(summary_figure, content, re.S)
    assert len(figures) == 3
    first, *others = (re.search(r"<img [^>]+>", figure).group(0) for figure in figures)
    assert 'loading="eager"' in first  # at the top of the page
    for img in others:
        assert 'loading="lazy"' in img and "fetchpriority" not in img
    assert "<figcaption" not in "".join(figures)


def test_articles_without_image_show_no_figure(article, client):
    content = client.get(article.get_absolute_url()).content.decode()
    assert "featured-image" not in content


def test_list_page_query_count_does_not_grow_with_images(db, client, settings, django_assert_max_num_queries):
    # Fragments cached by an earlier request would hide queries: measure whole renders.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    ArticleFactory(**featured(800, 400))
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for _ in range(7):
        ArticleFactory(**featured(800, 400))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/")
    assert response.content.decode().count('class="featured-image featured-image--summary"') == 8


def test_replacing_the_image_removes_the_old_files(
    illustrated_article, fresh_storage, django_capture_on_commit_callbacks
):
    old_original = illustrated_article.featured_image.name
    old_renditions = rendition_names(illustrated_article)
    with django_capture_on_commit_callbacks(execute=True):
        illustrated_article.featured_image = ContentFile(image_bytes(1000, 1000), name="nouvelle.jpg")
        illustrated_article.save()
    assert not fresh_storage.exists(old_original)
    assert not any(fresh_storage.exists(name) for name in old_renditions)
    new_renditions = rendition_names(illustrated_article)
    assert new_renditions and all(fresh_storage.exists(name) for name in new_renditions)
    assert illustrated_article.featured_picture is not None


def test_removing_the_image_removes_its_files(
    illustrated_article, fresh_storage, django_capture_on_commit_callbacks
):
    names = [illustrated_article.featured_image.name, *rendition_names(illustrated_article)]
    with django_capture_on_commit_callbacks(execute=True):
        illustrated_article.featured_image = None
        illustrated_article.featured_image_alt = ""
        illustrated_article.save()
    assert not any(fresh_storage.exists(name) for name in names)


def test_deleting_the_article_removes_image_and_renditions(
    illustrated_article, fresh_storage, django_capture_on_commit_callbacks
):
    names = [illustrated_article.featured_image.name, *rendition_names(illustrated_article)]
    assert all(fresh_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        illustrated_article.delete()
    assert not any(fresh_storage.exists(name) for name in names)


def test_bulk_deletion_cleans_up_too(db, fresh_storage, django_capture_on_commit_callbacks):
    from blog.models import Article

    articles = [ArticleFactory(**featured(600, 400)) for _ in range(2)]
    names = [name for a in articles for name in (a.featured_image.name, *rendition_names(a))]
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk__in=[a.pk for a in articles]).delete()
    assert not any(fresh_storage.exists(name) for name in names)


def test_a_rolled_back_deletion_keeps_the_files(illustrated_article, fresh_storage):
    from django.db import transaction

    name = illustrated_article.featured_image.name
    with pytest.raises(RuntimeError), transaction.atomic():
        illustrated_article.delete()
        raise RuntimeError("rollback")
    assert fresh_storage.exists(name)


def test_webp_renditions_are_smaller_than_the_original(illustrated_article, fresh_storage):
    noisy = io.BytesIO()
    Image.effect_noise((1600, 900), 40).convert("RGB").save(noisy, "JPEG", quality=95)
    article = ArticleFactory(
        **{"featured_image": ContentFile(noisy.getvalue(), name="bruit.jpg"), "featured_image_alt": "Bruit"}
    )
    original_size = article.featured_image.size
    webp_400 = article.featured_picture.webp[0]
    assert fresh_storage.size(webp_400.url.removeprefix("/media/")) < original_size / 4


def test_renditions_work_on_local_disk(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": "/media/"},
        },
    }
    article = ArticleFactory(**featured(1000, 500))
    files = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*") if path.is_file())
    assert len(files) == 7  # the original and six renditions
    assert all(url.removeprefix("/media/") in files for url in (r.url for r in article.featured_picture.webp))
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]
