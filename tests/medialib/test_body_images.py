"""Images inside a text reach readers as resized WebP or JPEG/PNG copies too."""

import re
from io import StringIO

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from medialib import images
from tests.factories import ArticleFactory, MediaImageFactory

pytestmark = pytest.mark.django_db


def rendition_names(image):
    return [f.name for f, _w, _h in images.rendition_files(image.file, image.width, image.height)]


def test_library_images_get_renditions_when_uploaded(fresh_storage):
    image = MediaImageFactory()  # 800 x 600
    names = rendition_names(image)
    assert len(names) == 4  # 400 and 800 px, WebP and JPEG
    assert all(fresh_storage.exists(name) for name in names)


def test_deleting_a_library_image_removes_its_renditions(fresh_storage, django_capture_on_commit_callbacks):
    image = MediaImageFactory()
    names = [image.file.name, *rendition_names(image)]
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not any(fresh_storage.exists(name) for name in names)


def test_article_page_offers_renditions_of_library_images(client):
    first, second = MediaImageFactory(), MediaImageFactory()
    article = ArticleFactory(
        body=(
            f'<p>Avant</p><figure class="image"><img src="{first.file.url}" alt="Premier" width="800" '
            f'height="600"><figcaption>Légende</figcaption></figure>'
            f'<p><img src="{second.file.url}" alt="Réduit" width="300" height="225"></p>'
            '<p><img src="https://example.org/externe.jpg" alt="Ailleurs"></p>'
        )
    )
    content = client.get(article.get_absolute_url()).content.decode()
    pictures = re.findall(r"<picture>.*?</picture>", content, re.S)
    assert len(pictures) == 2
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', pictures[0])
    assert re.fullmatch(r"\S+\.webp 400w, \S+\.webp 800w", webp.group(1))
    assert webp.group(2) == "(max-width: 860px) 100vw, 760px"
    img = re.search(r"<img [^>]+>", pictures[0]).group(0)
    assert f'src="{first.file.url}"' in img  # the original stays for old browsers
    assert re.search(r'srcset="\S+\.jpg 400w, \S+\.jpg 800w"', img)
    assert 'alt="Premier"' in img and 'loading="lazy"' in img
    # An image shown smaller in the text asks for a smaller copy.
    assert 'sizes="(max-width: 860px) 100vw, 300px"' in pictures[1]
    # Images from elsewhere are left alone.
    assert '<img src="https://example.org/externe.jpg"' in content
    assert "<figcaption>Légende</figcaption>" in content


def test_every_body_srcset_address_is_a_stored_file(client, fresh_storage):
    image = MediaImageFactory()
    article = ArticleFactory(body=f'<p><img src="{image.file.url}" alt="x"></p>')
    content = client.get(article.get_absolute_url()).content.decode()
    urls = set(re.findall(r"(/media/renditions/\S+?\.(?:webp|jpg)) \d+w", content))
    assert len(urls) == 4
    assert all(fresh_storage.exists(url.removeprefix("/media/")) for url in urls)


def test_showing_library_images_costs_no_query(client, settings):
    # Fragments cached by an earlier request would hide queries: measure whole renders.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    library = [MediaImageFactory() for _ in range(5)]
    illustrated = ArticleFactory(body="".join(f'<p><img src="{i.file.url}" alt="x"></p>' for i in library))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(illustrated.get_absolute_url())
    assert response.content.decode().count("<picture>") == 5
    # The renditions were found when the article was saved (see test_body_html).
    assert not [q for q in queries.captured_queries if "blog_mediaimage" in q["sql"]]


def test_static_pages_offer_renditions_too(client):
    image = MediaImageFactory()
    page = FlatPage.objects.create(
        url="/a-propos/", title="À propos", content=f'<img src="{image.file.url}">'
    )
    page.sites.add(Site.objects.get_current())
    content = client.get("/a-propos/").content.decode()
    assert '<source type="image/webp"' in content


def test_the_filter_escapes_text_that_was_not_marked_safe():
    image = MediaImageFactory()
    template = Template("{% load medialib %}{{ text|responsive_images }}")
    rendered = template.render(Context({"text": f'<img src="{image.file.url}" onerror="alert(1)">'}))
    assert "<img" not in rendered
    assert "&lt;img" in rendered


def test_regenerate_command_covers_library_images(fresh_storage, settings):
    image = MediaImageFactory()
    old = rendition_names(image)
    settings.BLOG_RENDITION_WIDTHS = [300, 600]
    out = StringIO()
    call_command("regenerate_renditions", stdout=out)
    report = f"[1/1] {image.file.name} : 4 versions redimensionnées écrites, 4 anciens fichiers supprimés"
    assert report in out.getvalue()
    assert not any(fresh_storage.exists(name) for name in old)
    assert all(fresh_storage.exists(name) for name in rendition_names(image))
