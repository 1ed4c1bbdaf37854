"""The media library: images uploaded from the editor, listed and reusable."""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.flatpages.models import FlatPage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from medialib.models import MediaImage
from tests.factories import (
    ArticleFactory,
    AuthorUserFactory,
    EditorUserFactory,
    MediaImageFactory,
    UserFactory,
    image_bytes,
    image_upload,
)

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/medialib/mediaimage/upload/"
LIBRARY_URL = "/admin/medialib/mediaimage/library.json"


def test_routes_reverse():
    assert reverse("admin:medialib_mediaimage_upload") == UPLOAD_URL
    assert reverse("admin:medialib_mediaimage_library") == LIBRARY_URL


def test_editor_upload_stores_a_clean_image_and_answers_its_address(staff_client, staff_user, fresh_storage):
    response = staff_client.post(
        UPLOAD_URL, {"file": image_upload("Schéma réseau.jpg", width=2400, height=1200)}
    )
    assert response.status_code == 200
    data = response.json()
    image = MediaImage.objects.get()
    assert data == {"location": image.file.url, "width": 1600, "height": 800}
    assert image.file.name.startswith("library/") and image.file.name.endswith("schema-reseau.jpg")
    assert image.uploaded_by == staff_user
    with fresh_storage.open(image.file.name) as stored:
        assert Image.open(stored).size == (1600, 800)  # body images are stored at most 1600 px wide


def test_editor_upload_explains_a_refused_file(staff_client):
    response = staff_client.post(
        UPLOAD_URL, {"file": SimpleUploadedFile("x.png", b"not an image", content_type="image/png")}
    )
    assert response.status_code == 400
    assert "n’est pas une image" in response.json()["error"]["message"]
    assert not MediaImage.objects.exists()


def test_editor_upload_needs_a_post(staff_client):
    assert staff_client.get(UPLOAD_URL).status_code == 405


def test_editor_upload_is_for_staff_only(client, reader):
    client.force_login(reader)
    response = client.post(UPLOAD_URL, {"file": image_upload()})
    assert response.status_code == 302  # to the admin's login page
    assert not MediaImage.objects.exists()


def test_editor_upload_needs_the_add_permission(client):
    editor = UserFactory(username="viewer", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_mediaimage"))
    client.force_login(editor)
    response = client.post(UPLOAD_URL, {"file": image_upload()})
    assert response.status_code == 403
    assert not MediaImage.objects.exists()


def test_editor_upload_checks_the_csrf_token(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert client.post(UPLOAD_URL, {"file": image_upload()}).status_code == 403


def test_library_lists_images_for_the_editor(staff_client):
    image = MediaImageFactory(alt_text="Un graphique")
    response = staff_client.get(LIBRARY_URL)
    assert response.status_code == 200
    assert json.loads(response.content) == [{"title": "Un graphique", "value": image.file.url}]


def test_changelist_shows_file_uploader_date_and_usage(staff_client, django_assert_max_num_queries):
    used = MediaImageFactory(alt_text="Utilisée")
    MediaImageFactory(alt_text="Orpheline")
    ArticleFactory(body=f'<p>Texte</p><img src="{used.file.url}" alt="x">')
    ArticleFactory(body=f'<figure><img src="{used.file.url}" alt="y"></figure>')
    for _ in range(5):
        MediaImageFactory()
    with django_assert_max_num_queries(12):
        response = staff_client.get("/admin/medialib/mediaimage/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Utilisée" in content and "Orpheline" in content
    assert "2 articles" in content
    assert used.uploaded_by.username in content


def test_changelist_search(staff_client):
    MediaImageFactory(alt_text="Un chat")
    MediaImageFactory(alt_text="Un chien")
    content = staff_client.get("/admin/medialib/mediaimage/", {"q": "chat"}).content.decode()
    assert "Un chat" in content and "Un chien" not in content


def test_add_page_uploads_through_the_same_checks(staff_client, staff_user):
    assert staff_client.get("/admin/medialib/mediaimage/add/").status_code == 200
    response = staff_client.post(
        "/admin/medialib/mediaimage/add/",
        {"file": image_upload("carte.png", format="PNG"), "alt_text": "Une carte"},
    )
    assert response.status_code == 302
    image = MediaImage.objects.get()
    assert image.uploaded_by == staff_user and image.file.name.endswith("carte.png")


def test_change_page_lists_where_the_image_is_used(staff_client):
    image = MediaImageFactory()
    article = ArticleFactory(title="Le bel article", body=f'<img src="{image.file.url}" alt="x">')
    page = FlatPage.objects.create(
        url="/a-propos/", title="À propos", content=f'<img src="{image.file.url}">'
    )
    ArticleFactory(title="Sans image")
    content = staff_client.get(f"/admin/medialib/mediaimage/{image.pk}/change/").content.decode()
    assert "Le bel article" in content
    assert reverse("admin:blog_article_change", args=[article.pk]) in content
    assert reverse("admin:flatpages_flatpage_change", args=[page.pk]) in content
    assert "Sans image" not in content


def test_an_image_in_use_cannot_be_deleted(staff_client, fresh_storage):
    image = MediaImageFactory()
    ArticleFactory(title="Illustré", body=f'<img src="{image.file.url}" alt="x">')
    url = f"/admin/medialib/mediaimage/{image.pk}/delete/"
    response = staff_client.post(url, {"post": "yes"})
    assert MediaImage.objects.filter(pk=image.pk).exists()
    assert "Illustré" in response.content.decode()
    assert fresh_storage.exists(image.file.name)


def test_deleting_an_unused_image_removes_its_file(
    staff_client, fresh_storage, django_capture_on_commit_callbacks
):
    image = MediaImageFactory()
    name = image.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/admin/medialib/mediaimage/{image.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not fresh_storage.exists(name)


def test_article_admin_has_the_rich_text_editor(staff_client, article):
    content = staff_client.get(f"/admin/blog/article/{article.pk}/change/").content.decode()
    assert "tinymce/tinymce.min.js" in content
    assert "blog/admin/editor.js" in content
    assert re.search(r'<textarea[^>]*class="[^"]*\btinymce\b[^>]*name="body"', content)
    assert UPLOAD_URL in content  # in the editor's configuration
    assert 'name="featured_image"' in content and 'name="featured_image_alt"' in content
    # No inline script is needed to start the editor.
    assert "tinyMCE.init(" not in content


def test_static_page_admin_has_the_rich_text_editor(staff_client):
    content = staff_client.get("/admin/flatpages/flatpage/add/").content.decode()
    assert "tinymce/tinymce.min.js" in content
    assert re.search(r'<textarea[^>]*class="[^"]*\btinymce\b[^>]*name="content"', content)


def test_an_image_uploaded_in_the_body_is_kept_after_sanitising(staff_client):
    staff_client.post(UPLOAD_URL, {"file": SimpleUploadedFile("a.jpg", image_bytes(300, 200))})
    image = MediaImage.objects.get()
    article = ArticleFactory(
        body=f'<p><img src="{image.file.url}" alt="Un schéma" width="300" height="200"></p>'
    )
    assert f'src="{image.file.url}"' in article.body
    assert 'loading="lazy"' in article.body


def test_authors_upload_from_the_editor_and_pick_from_the_library(client):
    author = AuthorUserFactory(username="autrice")
    client.force_login(author)
    response = client.post(UPLOAD_URL, {"file": image_upload()})
    assert response.status_code == 200
    assert client.get(LIBRARY_URL).status_code == 200
    image = MediaImage.objects.get()
    assert image.uploaded_by == author
    # Deleting library images is the editors' call.
    assert client.post(f"/admin/medialib/mediaimage/{image.pk}/delete/", {"post": "yes"}).status_code == 403


def test_editors_manage_the_library(client):
    client.force_login(EditorUserFactory(username="editrice"))
    image = MediaImageFactory()
    assert client.get("/admin/medialib/mediaimage/").status_code == 200
    assert client.post(f"/admin/medialib/mediaimage/{image.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not MediaImage.objects.exists()
