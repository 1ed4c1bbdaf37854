"""Uploaded images: refused with a clear message when unusable, stored without metadata."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from blog.models import Article
from medialib.images import clean_image_upload
from tests.factories import image_bytes, image_upload

GPS_TAG = 0x8825
ORIENTATION_TAG = 0x0112


def huge_png(width, height):
    """A valid little PNG whose header declares ``width`` x ``height`` pixels: a decompression bomb."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def upload(content, name="photo.jpg"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def error_code(excinfo):
    return excinfo.value.code


def test_a_text_file_is_not_an_image():
    with pytest.raises(ValidationError) as excinfo:
        clean_image_upload(upload(b"Bonjour, ceci n'est pas une image.", name="notes.jpg"))
    assert error_code(excinfo) == "not_an_image"
    assert "n’est pas une image" in excinfo.value.messages[0]


def test_an_empty_looking_header_is_not_an_image():
    with pytest.raises(ValidationError) as excinfo:
        clean_image_upload(upload(b"\xff\xd8\xff" + b"\x00" * 10))
    assert error_code(excinfo) in {"not_an_image", "damaged_image"}


@pytest.mark.parametrize("format", ["JPEG", "PNG"])
def test_a_truncated_file_is_refused(format):
    # Noise makes the compressed data long enough to be cut in the middle.
    image = Image.effect_noise((1200, 800), 64).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format)
    content = buffer.getvalue()
    with pytest.raises(ValidationError) as excinfo:
        clean_image_upload(upload(content[: len(content) // 2], name=f"cut.{format.lower()}"))
    assert error_code(excinfo) == "damaged_image"
    assert "endommagée ou incomplète" in excinfo.value.messages[0]


def test_a_decompression_bomb_is_refused(settings):
    settings.BLOG_IMAGE_MAX_PIXELS = 40_000_000
    bomb = huge_png(20_000, 20_000)  # 400 million pixels in a few hundred bytes
    assert len(bomb) < 1000
    with pytest.raises(ValidationError) as excinfo:
        clean_image_upload(upload(bomb, name="bomb.png"))
    assert error_code(excinfo) == "too_many_pixels"
    assert "a trop de pixels" in excinfo.value.messages[0]


def test_an_image_over_the_pixel_limit_is_refused_before_decoding(settings):
    settings.BLOG_IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError) as excinfo:
        clean_image_upload(upload(huge_png(1500, 1000), name="big.png"))
    assert error_code(excinfo) == "too_many_pixels"


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.BLOG_IMAGE_MAX_UPLOAD_SIZE = 50 * 1024
    content = image_bytes(3000, 2000, format="PNG")
    noisy = io.BytesIO()
    Image.effect_noise((800, 800), 80).save(noisy, "PNG")
    with pytest.raises(ValidationError) as excinfo:
        clean_image_upload(upload(noisy.getvalue(), name="heavy.png"))
    assert error_code(excinfo) == "file_too_large"
    assert "trop volumineux" in excinfo.value.messages[0]
    assert "50" in excinfo.value.messages[0]  # the limit is named
    assert clean_image_upload(upload(content, name="light.png"))  # a small file of the same kind passes


def test_an_unsupported_format_is_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "BMP")
    with pytest.raises(ValidationError) as excinfo:
        clean_image_upload(upload(buffer.getvalue(), name="old.bmp"))
    assert error_code(excinfo) == "unsupported_format"


def exif_with_gps_and_orientation(orientation):
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = orientation
    exif[0x010F] = "Camera Maker"
    exif[0x0131] = "Some editing software"
    gps = exif.get_ifd(GPS_TAG)
    gps[1] = "N"
    gps[2] = (48.0, 51.0, 29.0)
    gps[3] = "E"
    gps[4] = (2.0, 17.0, 40.0)
    return exif


def test_exif_and_gps_data_are_stripped():
    exif = exif_with_gps_and_orientation(1)
    original = image_bytes(640, 480, exif=exif.tobytes())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_TAG)  # the test image does carry GPS
    cleaned = clean_image_upload(upload(original))
    stored = Image.open(io.BytesIO(cleaned.read()))
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info
    assert b"Camera Maker" not in cleaned.open().read()


def test_exif_orientation_is_applied_to_the_pixels():
    # Orientation 6: the camera was turned; the picture must be shown rotated.
    original = image_bytes(640, 480, exif=exif_with_gps_and_orientation(6).tobytes())
    cleaned = Image.open(io.BytesIO(clean_image_upload(upload(original)).read()))
    assert cleaned.size == (480, 640)
    assert ORIENTATION_TAG not in cleaned.getexif()


def test_transparent_images_stay_png_and_photos_become_jpeg():
    transparent = image_bytes(100, 80, format="PNG", mode="RGBA", color=(0, 0, 0, 0))
    assert clean_image_upload(upload(transparent, name="Logo Officiel.png")).name == "logo-officiel.png"
    webp = image_bytes(100, 80, format="WEBP")
    cleaned = clean_image_upload(upload(webp, name="photo.webp"))
    assert cleaned.name == "photo.jpg"
    assert Image.open(io.BytesIO(cleaned.read())).format == "JPEG"


def test_wide_images_are_scaled_down_when_asked():
    cleaned = clean_image_upload(upload(image_bytes(3000, 1500)), max_width=1200)
    assert Image.open(io.BytesIO(cleaned.read())).size == (1200, 600)


# Through the admin, as an editor uploads them
# ------------------------------------------------------------------------------
def article_form_data(article, **overrides):
    data = {
        "title": article.title,
        "slug": article.slug,
        "excerpt": article.excerpt,
        "body": article.body,
        "status": article.status,
        "published_at_0": article.published_at.strftime("%d/%m/%Y"),
        "published_at_1": article.published_at.strftime("%H:%M:%S"),
        "author": article.author_id,
        "comments_enabled": "on",
        "featured_image_alt": "",
        "featured_image_caption": "",
        "further_reading-TOTAL_FORMS": "0",
        "coauthor_links-TOTAL_FORMS": "0",
        "coauthor_links-INITIAL_FORMS": "0",
        "further_reading-INITIAL_FORMS": "0",
        "further_reading-MIN_NUM_FORMS": "0",
        "further_reading-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def change_url(article):
    return f"/admin/blog/article/{article.pk}/change/"


@pytest.mark.django_db
def test_admin_shows_a_clear_error_for_a_file_that_is_not_an_image(staff_client, article):
    not_image = SimpleUploadedFile("notes.jpg", b"du texte", content_type="image/jpeg")
    response = staff_client.post(
        change_url(article), article_form_data(article, featured_image=not_image, featured_image_alt="x")
    )
    assert response.status_code == 200
    assert "n’est pas une image" in str(response.context["adminform"].form.errors["featured_image"])
    article.refresh_from_db()
    assert not article.featured_image


@pytest.mark.django_db
def test_admin_shows_a_clear_error_for_a_decompression_bomb(staff_client, article):
    bomb = SimpleUploadedFile("bomb.png", huge_png(30_000, 30_000), content_type="image/png")
    response = staff_client.post(
        change_url(article), article_form_data(article, featured_image=bomb, featured_image_alt="x")
    )
    assert response.status_code == 200
    assert "a trop de pixels" in str(response.context["adminform"].form.errors["featured_image"])


@pytest.mark.django_db
def test_admin_requires_a_description_with_an_image(staff_client, article):
    response = staff_client.post(
        change_url(article), article_form_data(article, featured_image=image_upload("photo.jpg"))
    )
    assert response.status_code == 200
    assert "featured_image_alt" in response.context["adminform"].form.errors
    article.refresh_from_db()
    assert not article.featured_image


@pytest.mark.django_db
def test_admin_stores_a_clean_copy_of_the_featured_image(staff_client, article):
    photo = SimpleUploadedFile(
        "Vacances 2026.jpg",
        image_bytes(3000, 2000, exif=exif_with_gps_and_orientation(1).tobytes()),
        content_type="image/jpeg",
    )
    response = staff_client.post(
        change_url(article),
        article_form_data(
            article,
            featured_image=photo,
            featured_image_alt="Une plage au coucher du soleil",
            featured_image_caption="Photo : Camille Durand",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(pk=article.pk)
    assert article.featured_image.name.startswith("articles/")
    assert article.featured_image.name.endswith("vacances-2026.jpg")
    # Stored no wider than the original limit (2400 px by default), dimensions recorded.
    assert (article.featured_image_width, article.featured_image_height) == (2400, 1600)
    with article.featured_image.open("rb") as stored:
        image = Image.open(stored)
        assert dict(image.getexif()) == {}


@pytest.mark.django_db
def test_the_database_refuses_an_image_without_description(article):
    article.featured_image = ContentFile(image_bytes(100, 100), name="x.jpg")
    article.featured_image_alt = ""
    with pytest.raises(IntegrityError), transaction.atomic():
        article.save()
