"""Images from a copy of wp-content/uploads join the media library; nothing is ever downloaded."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.utils import translation
from PIL import Image

from blog.models import Article
from medialib import images
from medialib.models import MediaImage
from tests.factories import image_bytes
from wordpress.importer import Attachment, wordpress_import
from wordpress.models import ImportedItem

from .wxr import BASE, author, item, wxr

UPLOADS = f"{BASE}/wp-content/uploads"
# EXIF tag 0x013B is the artist; 0x8825 would be the GPS block.
EXIF_ARTIST = 0x013B


@pytest.fixture(autouse=True)
def storage(settings):
    """Each test gets an empty in-memory storage (changing STORAGES resets Django's handles)."""
    settings.STORAGES = {**settings.STORAGES}
    return storages["default"]


def stored_files(storage, folder=""):
    """Every file in the storage, with its path."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    prefix = f"{folder}/" if folder else ""
    return sorted(
        [f"{prefix}{name}" for name in files]
        + [path for sub in folders for path in stored_files(storage, f"{prefix}{sub}")]
    )


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "2012/05").mkdir(parents=True)
    exif = Image.Exif()
    exif[EXIF_ARTIST] = "Appareil de Marie"
    (folder / "2012/05/photo.jpg").write_bytes(image_bytes(1000, 500, exif=exif.tobytes()))
    (folder / "2012/05/faux.jpg").write_text("pas une image")
    (folder / "2012/05/coupee.png").write_bytes(image_bytes(300, 200, format="PNG")[:300])
    (folder / "2012/05/notice.pdf").write_bytes(b"%PDF-1.4")
    (folder / "2012/05/logo.png").write_bytes(image_bytes(40, 20, format="PNG"))
    (folder.parent / "secret.png").write_bytes(image_bytes(8, 6, format="PNG"))
    return folder


def attachment(
    wp_id, name, *, parent=0, attached_file=None, alt=None, title=None, excerpt="", creator="marie"
):
    postmeta = {"_wp_attached_file": attached_file or name}
    if alt is not False:
        postmeta["_wp_attachment_image_alt"] = alt or f"Texte {wp_id}"
    return item(
        wp_id,
        f"Titre {wp_id}" if title is None else title,
        excerpt=excerpt,
        post_type="attachment",
        status="inherit",
        parent=parent,
        creator=creator,
        attachment_url=f"{UPLOADS}/{name}",
        postmeta=postmeta,
    )


def post(wp_id=1, *, thumbnail="501"):
    return item(
        wp_id,
        "Avec images",
        content=(
            f'<img src="{UPLOADS}/2012/05/photo-300x200.jpg" alt="Photo">\n\n'
            '[gallery ids="501"]\n\n'
            f'<a href="{UPLOADS}/2012/05/notice.pdf">Notice</a>'
        ),
        postmeta={"_thumbnail_id": thumbnail} if thumbnail else {},
    )


def export(*extra, thumbnail="501"):
    return wxr(
        author("marie"),
        post(thumbnail=thumbnail),
        attachment(501, "2012/05/photo.jpg", parent=1, excerpt="Photo : Marie"),
        attachment(502, "2012/05/faux.jpg"),
        attachment(503, "2012/05/notice.pdf"),
        attachment(504, "2012/05/absente.png"),
        attachment(505, "evasion.png", attached_file="../secret.png"),
        attachment(506, "2012/05/coupee.png"),
        *extra,
    )


def run(path, **options):
    out = StringIO()
    with translation.override("en"):
        call_command("import_wordpress", str(path), stdout=out, **options)
    return out.getvalue()


def counts(report, kind):
    found = report.counts[kind]
    return found["created"], found["updated"], found["skipped"]


def rendition_names(image_file, width, height):
    return [cache_file.name for cache_file, _w, _h in images.rendition_files(image_file, width, height)]


def test_images_join_the_media_library(db, write_wxr, uploads, storage):
    report = wordpress_import(path=write_wxr(export()), media_dir=uploads)
    image = MediaImage.objects.get()
    assert image.alt_text == "Texte 501"
    assert image.uploaded_by.username == "marie"
    assert image.file.name.startswith(MediaImage.UPLOAD_FOLDER)
    assert (image.width, image.height) == (1000, 500)
    record = ImportedItem.objects.get(kind="attachment", wp_id="501")
    assert record.content_object == image
    assert record.content_type == ContentType.objects.get_for_model(MediaImage)
    assert record.stored_file == image.file.name
    assert counts(report, "attachments") == (1, 0, 5)
    for name in rendition_names(image.file, image.width, image.height):
        assert storage.exists(name)


def test_imported_images_are_cleaned_like_uploads(db, write_wxr, uploads, storage):
    wordpress_import(path=write_wxr(export()), media_dir=uploads)
    image = MediaImage.objects.get()
    with storage.open(image.file.name) as stored:
        assert EXIF_ARTIST not in Image.open(stored).getexif()
    article = Article.objects.get()
    with storage.open(article.featured_image.name) as stored:
        assert EXIF_ARTIST not in Image.open(stored).getexif()


def test_body_links_point_at_the_library_file(db, write_wxr, uploads):
    wordpress_import(path=write_wxr(export()), media_dir=uploads)
    body = Article.objects.get().body
    new_url = MediaImage.objects.get().file.url
    # The sanitiser adds loading/decoding to every image, in no fixed order.
    plain = body.replace(' loading="lazy"', "").replace(' decoding="async"', "")
    assert f'<img src="{new_url}" alt="Photo"' in plain
    assert f'<div class="gallery"><figure class="gallery-item"><a href="{new_url}"' in body
    assert 'alt="Texte 501"' in body
    # Files that are not images keep their old address.
    assert f"{UPLOADS}/2012/05/notice.pdf" in body


def test_featured_image_is_linked_with_its_renditions(db, write_wxr, uploads, storage):
    report = wordpress_import(path=write_wxr(export()), media_dir=uploads)
    article = Article.objects.get()
    assert article.featured_image
    assert article.featured_image.name != MediaImage.objects.get().file.name
    assert article.featured_image_alt == "Texte 501"
    assert article.featured_image_caption == "Photo : Marie"
    assert (article.featured_image_width, article.featured_image_height) == (1000, 500)
    names = rendition_names(article.featured_image, 1000, 500)
    assert names and all(storage.exists(name) for name in names)
    assert article.featured_picture.default.url
    assert counts(report, "featured images") == (1, 0, 0)


def test_imported_featured_image_is_shown_to_readers(db, write_wxr, uploads, client):
    wordpress_import(path=write_wxr(export()), media_dir=uploads)
    article = Article.objects.get()
    page = client.get(article.get_absolute_url()).content.decode()
    assert article.featured_picture.default.url in page
    assert 'alt="Texte 501"' in page


def test_reimport_does_not_duplicate(db, write_wxr, uploads, storage):
    path = write_wxr(export())
    wordpress_import(path=path, media_dir=uploads)
    files = stored_files(storage)
    featured_name = Article.objects.get().featured_image.name
    report = wordpress_import(path=path, media_dir=uploads)
    assert MediaImage.objects.count() == 1
    assert ImportedItem.objects.filter(kind="attachment").count() == 1
    assert Article.objects.get().featured_image.name == featured_name
    assert stored_files(storage) == files
    assert counts(report, "attachments") == (0, 1, 5)
    assert counts(report, "featured images") == (0, 1, 0)


def test_reimport_follows_a_new_description(db, write_wxr, uploads):
    wordpress_import(path=write_wxr(export()), media_dir=uploads)
    changed = export().replace("Texte 501", "Une photo de la mer")
    wordpress_import(path=write_wxr(changed, name="again.xml"), media_dir=uploads)
    assert MediaImage.objects.get().alt_text == "Une photo de la mer"
    assert Article.objects.get().featured_image_alt == "Une photo de la mer"


def test_image_deleted_from_the_library_is_imported_again(db, write_wxr, uploads):
    path = write_wxr(export())
    wordpress_import(path=path, media_dir=uploads)
    MediaImage.objects.get().delete()
    wordpress_import(path=path, media_dir=uploads)
    image = MediaImage.objects.get()
    assert ImportedItem.objects.get(kind="attachment", wp_id="501").object_id == image.pk
    assert image.file.url in Article.objects.get().body


def test_broken_and_foreign_files_are_skipped_with_a_reason(db, write_wxr, uploads, storage):
    output = run(write_wxr(export()), media_dir=str(uploads))
    assert MediaImage.objects.count() == 1
    assert "This file is not an image, or not one in a format we accept (JPEG, PNG, GIF, WebP).: 1" in output
    assert "This image is damaged or incomplete (the upload may have been cut off).: 1" in output
    assert "not an image: 1" in output
    assert "file missing from the media folder: 1" in output
    assert "path outside the media folder: 1" in output
    assert not [name for name in stored_files(storage) if "faux" in name or "coupee" in name]


@pytest.mark.parametrize("thumbnail", ["502", "506", "504", "999"])
def test_featured_image_from_a_skipped_attachment_is_skipped(db, write_wxr, uploads, thumbnail):
    output = run(write_wxr(export(thumbnail=thumbnail)), media_dir=str(uploads))
    article = Article.objects.get()
    assert not article.featured_image
    assert article.featured_image_alt == ""
    expected = "attachment not in the export" if thumbnail == "999" else "attachment not imported"
    assert f"featured images: {expected}: 1" in output


def test_without_media_dir_attachments_and_featured_images_are_reported(db, write_wxr, storage):
    output = run(write_wxr(export()))
    assert "attachments: no --media-dir given: 6" in output
    assert "featured images: no --media-dir given: 1" in output
    assert MediaImage.objects.count() == 0
    assert not Article.objects.get().featured_image
    assert stored_files(storage) == []
    assert f"{UPLOADS}/2012/05/photo-300x200.jpg" in Article.objects.get().body


def test_dry_run_writes_nothing_but_counts(db, write_wxr, uploads, storage):
    report = wordpress_import(path=write_wxr(export()), media_dir=uploads, dry_run=True)
    assert stored_files(storage) == []
    assert MediaImage.objects.count() == 0
    assert counts(report, "attachments") == (1, 0, 5)
    assert counts(report, "featured images") == (1, 0, 0)


def test_failed_import_leaves_no_image_and_no_file(db, write_wxr, uploads, storage):
    path = write_wxr(export(item(9, "Cassé", date_gmt="pas une date")))
    with pytest.raises(CommandError):
        run(path, media_dir=str(uploads))
    assert stored_files(storage) == []
    assert MediaImage.objects.count() == 0
    assert Article.objects.count() == 0
    assert ImportedItem.objects.count() == 0


def test_failed_reimport_keeps_the_files_of_the_first(db, write_wxr, uploads, storage):
    wordpress_import(path=write_wxr(export()), media_dir=uploads)
    files = stored_files(storage)
    (uploads / "2012/05/logo.png").write_bytes(image_bytes(50, 50, format="PNG"))
    broken = export(attachment(507, "2012/05/logo.png"), item(9, "Cassé", date_gmt="pas une date"))
    with pytest.raises(CommandError):
        run(write_wxr(broken, name="broken.xml"), media_dir=str(uploads))
    assert stored_files(storage) == files
    assert MediaImage.objects.count() == 1


def test_uploaded_by_is_empty_for_an_author_not_in_the_export(db, write_wxr, uploads):
    wordpress_import(
        path=write_wxr(wxr(attachment(507, "2012/05/logo.png", creator="inconnu"))), media_dir=uploads
    )
    assert MediaImage.objects.get().uploaded_by is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"alt": "Le texte", "title": "Le titre", "caption": "La légende"}, "Le texte"),
        ({"title": "Le titre", "caption": "La légende"}, "Le titre"),
        ({"caption": "La légende"}, "La légende"),
        ({}, "logo.png"),
    ],
)
def test_alternative_text_is_never_empty(fields, expected):
    found = Attachment(wp_id="7", url=f"{UPLOADS}/2012/05/logo.png", path="2012/05/logo.png", **fields)
    assert found.description == expected


def test_image_without_alt_text_is_described_by_its_file_name(db, write_wxr, uploads):
    export_text = wxr(attachment(507, "2012/05/logo.png", alt=False, title=""))
    wordpress_import(path=write_wxr(export_text), media_dir=uploads)
    assert MediaImage.objects.get().alt_text == "logo.png"


def test_oversized_image_is_skipped(db, write_wxr, uploads, settings):
    settings.BLOG_IMAGE_MAX_PIXELS = 100
    output = run(write_wxr(wxr(attachment(507, "2012/05/logo.png"))), media_dir=str(uploads))
    assert MediaImage.objects.count() == 0
    assert "This image is too large in pixels" in output


def test_reimport_with_another_thumbnail_replaces_the_featured_image(
    db, write_wxr, uploads, storage, django_capture_on_commit_callbacks
):
    wordpress_import(path=write_wxr(export()), media_dir=uploads)
    old_name = Article.objects.get().featured_image.name
    other = export(attachment(507, "2012/05/logo.png", alt="Le logo"), thumbnail="507")
    with django_capture_on_commit_callbacks(execute=True):
        report = wordpress_import(path=write_wxr(other, name="other.xml"), media_dir=uploads)
    article = Article.objects.get()
    assert article.featured_image.name != old_name
    assert article.featured_image_alt == "Le logo"
    assert not storage.exists(old_name)
    assert counts(report, "featured images") == (0, 1, 0)
    assert MediaImage.objects.count() == 2


def test_reimport_without_the_files_keeps_the_images(db, write_wxr, uploads, tmp_path):
    path = write_wxr(export())
    wordpress_import(path=path, media_dir=uploads)
    featured_name = Article.objects.get().featured_image.name
    empty = tmp_path / "vide"
    empty.mkdir()
    output = run(path, media_dir=str(empty))
    assert MediaImage.objects.count() == 1
    assert Article.objects.get().featured_image.name == featured_name
    assert MediaImage.objects.get().file.url in Article.objects.get().body
    assert "featured images: file missing from the media folder: 1" in output
