"""Bad files: each is refused with a clear message and leaves the database as it was."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from blog.models import Article, Category
from wordpress.models import ImportedItem

from .wxr import author, category, item, wxr


def run(path, **options):
    with translation.override("en"):
        call_command("import_wordpress", str(path), stdout=StringIO(), stderr=StringIO(), **options)


def assert_nothing_imported():
    assert Article.objects.count() == 0
    assert Category.objects.count() == 0
    assert ImportedItem.objects.count() == 0
    assert get_user_model().objects.count() == 0


def test_file_cut_half_way(db, write_wxr):
    text = wxr(
        author("marie"), category("a", "A", term_id=1), *(item(n, f"Article {n}") for n in range(1, 20))
    )
    path = write_wxr(text[: len(text) // 2])
    with pytest.raises(CommandError, match="not well-formed XML"):
        run(path)
    assert_nothing_imported()


def test_bad_data_half_way_rolls_everything_back(db, write_wxr):
    path = write_wxr(
        wxr(
            author("marie"),
            category("a", "A", term_id=1),
            item(1, "Correct", categories=[("a", "A")]),
            item(2, "Date impossible", date_gmt="2015-13-45 99:00:00"),
        )
    )
    with pytest.raises(CommandError, match="Post 2 has an invalid date"):
        run(path)
    assert_nothing_imported()


def test_rss_feed_that_is_not_a_wordpress_export(db, write_wxr):
    path = write_wxr(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Flux</title>'
        "<item><title>Un</title></item></channel></rss>"
    )
    with pytest.raises(CommandError, match="not a WordPress export"):
        run(path)
    assert_nothing_imported()


def test_other_xml_document(db, write_wxr):
    with pytest.raises(CommandError, match="root element is <html>"):
        run(write_wxr("<html><body>Bonjour</body></html>"))


def test_not_xml_at_all(db, tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 binary")
    with pytest.raises(CommandError, match="not well-formed XML"):
        run(path)


def test_unsupported_wxr_version(db, write_wxr):
    with pytest.raises(CommandError, match="WXR version 9.9 is not supported"):
        run(write_wxr(wxr(item(1, "Un"), version="9.9")))


def test_xml_bomb_is_refused(db, write_wxr):
    entities = "".join(
        f'<!ENTITY lol{n} "&lol{n - 1};&lol{n - 1};&lol{n - 1};&lol{n - 1};">' for n in range(1, 10)
    )
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{entities}]>'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&lol9;</title></channel></rss>'
    )
    with pytest.raises(CommandError, match="entities"):
        run(write_wxr(bomb))
    assert_nothing_imported()


def test_external_entity_is_refused(db, write_wxr):
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&secret;</title></channel></rss>'
    )
    with pytest.raises(CommandError, match="refused for safety"):
        run(write_wxr(xxe))


def test_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read the file"):
        run(tmp_path / "absent.xml")


def test_missing_media_folder(db, write_wxr, tmp_path):
    with pytest.raises(CommandError, match="media folder"):
        run(write_wxr(wxr(item(1, "Un"))), media_dir=str(tmp_path / "absent"))
