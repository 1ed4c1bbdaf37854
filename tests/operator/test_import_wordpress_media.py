"""Images from a copy of wp-content/uploads; nothing is ever downloaded."""

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import translation
from PIL import Image

from blog.models import Article

from .wxr import BASE, item, wxr

UPLOADS = f"{BASE}/wp-content/uploads"


def stored_files(folder="imported"):
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{name}" for name in files] + [
        path for sub in folders for path in stored_files(f"{folder}/{sub}")
    ]


@pytest.fixture(autouse=True)
def _empty_storage():
    yield
    for name in stored_files():
        default_storage.delete(name)


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "2012/05").mkdir(parents=True)
    Image.new("RGB", (8, 6), "red").save(folder / "2012/05/photo.png")
    (folder / "2012/05/faux.jpg").write_text("pas une image")
    (folder / "2012/05/notice.pdf").write_bytes(b"%PDF-1.4")
    (folder.parent / "secret.png").write_bytes((folder / "2012/05/photo.png").read_bytes())
    return folder


def attachment(wp_id, name, *, parent=0, attached_file=None):
    return item(
        wp_id,
        name,
        post_type="attachment",
        status="inherit",
        parent=parent,
        attachment_url=f"{UPLOADS}/{name}",
        postmeta={"_wp_attached_file": attached_file or name, "_wp_attachment_image_alt": f"Texte {wp_id}"},
    )


def export(*extra):
    return wxr(
        item(
            1,
            "Avec images",
            content=(
                f'<img src="{UPLOADS}/2012/05/photo-300x200.png" alt="Photo">\n\n'
                '[gallery ids="501"]\n\n'
                f'<a href="{UPLOADS}/2012/05/notice.pdf">Notice</a>'
            ),
            postmeta={"_thumbnail_id": "501"},
        ),
        attachment(501, "2012/05/photo.png", parent=1),
        attachment(502, "2012/05/faux.jpg"),
        attachment(503, "2012/05/notice.pdf"),
        attachment(504, "2012/05/absente.png"),
        attachment(505, "evasion.png", attached_file="../secret.png"),
        *extra,
    )


def run(path, **options):
    out = StringIO()
    with translation.override("en"):
        call_command("import_wordpress", str(path), stdout=out, **options)
    return out.getvalue()


def test_images_are_copied_and_links_rewritten(db, write_wxr, uploads):
    output = run(write_wxr(export()), media_dir=str(uploads))
    assert stored_files() == ["imported/2012/05/photo.png"]
    body = Article.objects.get().body
    new_url = default_storage.url("imported/2012/05/photo.png")
    # The sanitiser adds loading/decoding to every image, in no fixed order.
    plain = body.replace(' loading="lazy"', "").replace(' decoding="async"', "")
    assert f'<img src="{new_url}" alt="Photo">' in plain
    assert f'<div class="gallery"><figure class="gallery-item"><a href="{new_url}"' in body
    assert 'alt="Texte 501"' in body
    # Files that are not images keep their old address.
    assert f"{UPLOADS}/2012/05/notice.pdf" in body
    assert "not a readable image: 1" in output
    assert "not an image: 1" in output
    assert "file missing from the media folder: 1" in output
    assert "path outside the media folder: 1" in output
    assert "featured images" in output


def test_reimport_does_not_copy_again(db, write_wxr, uploads):
    path = write_wxr(export())
    run(path, media_dir=str(uploads))
    run(path, media_dir=str(uploads))
    assert stored_files() == ["imported/2012/05/photo.png"]


def test_without_media_dir_attachments_are_reported(db, write_wxr):
    output = run(write_wxr(export()))
    assert "no --media-dir given: 5" in output
    assert stored_files() == []
    assert f"{UPLOADS}/2012/05/photo-300x200.png" in Article.objects.get().body


def test_dry_run_copies_nothing(db, write_wxr, uploads):
    run(write_wxr(export()), media_dir=str(uploads), dry_run=True)
    assert stored_files() == []


def test_failed_import_removes_copied_files(db, write_wxr, uploads):
    path = write_wxr(export(item(9, "Cassé", date_gmt="pas une date")))
    with pytest.raises(CommandError):
        run(path, media_dir=str(uploads))
    assert stored_files() == []
    assert Article.objects.count() == 0
