"""The operator's command that rebuilds every rendition, e.g. after changing sizes."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from medialib import images
from tests.factories import ArticleFactory

from .conftest import featured

pytestmark = pytest.mark.django_db


def run(*args, language="en"):
    out, err = StringIO(), StringIO()
    with translation.override(language):
        call_command("regenerate_renditions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def current_renditions(article):
    return [
        f.name
        for f, _w, _h in images.rendition_files(
            article.featured_image, article.featured_image_width, article.featured_image_height
        )
    ]


def test_nothing_to_do_without_images(article):
    out, _err = run()
    assert "nothing to do" in out


def test_dry_run_reports_and_writes_nothing(db, storage_writes, fresh_storage, settings):
    article = ArticleFactory(**featured(1600, 900), title="Premier")
    storage_writes.clear()
    old = current_renditions(article)
    settings.BLOG_RENDITION_WIDTHS = [320, 640, 960, 1280]
    out, _err = run("--dry-run")
    assert "[1/1] Premier: 8 renditions to write, 6 old files to delete" in out
    assert "1 image: 8 renditions would be written, 6 old files would be deleted." in out
    assert storage_writes == []
    assert all(fresh_storage.exists(name) for name in old)


def test_the_report_reads_in_french(db, fresh_storage, settings):
    ArticleFactory(**featured(1600, 900), title="Premier")
    settings.BLOG_RENDITION_WIDTHS = [320, 640, 960, 1280]
    out, _err = run("--dry-run", language="fr")
    assert "[1/1] Premier : 8 versions redimensionnées à écrire, 6 anciens fichiers à supprimer" in out
    assert (
        "1 image : 8 versions redimensionnées seraient écrites, 6 anciens fichiers seraient supprimés." in out
    )


def test_new_sizes_are_made_and_old_ones_removed(db, fresh_storage, settings):
    articles = [ArticleFactory(**featured(1600, 900), title=f"Article {n}") for n in range(3)]
    old = [name for article in articles for name in current_renditions(article)]
    settings.BLOG_RENDITION_WIDTHS = [320, 640]
    out, _err = run()
    for position in (1, 2, 3):
        assert f"[{position}/3]" in out  # progress
    assert "3 images: 12 renditions were written, 18 old files were deleted." in out
    assert not any(fresh_storage.exists(name) for name in old)
    for article in articles:
        names = current_renditions(article)
        assert len(names) == 4
        assert all(fresh_storage.exists(name) for name in names)
        assert [r.width for r in article.featured_picture.webp] == [320, 640]


def test_regenerating_rebuilds_existing_files(illustrated_article, storage_writes):
    out, _err = run()
    assert len(storage_writes) == 6
    assert "1 image: 6 renditions were written, 0 old files were deleted." in out


def test_missing_only_fills_the_gaps(illustrated_article, fresh_storage, storage_writes):
    lost = current_renditions(illustrated_article)[0]
    fresh_storage.delete(lost)
    out, _err = run("--missing-only")
    assert storage_writes == [lost]
    assert "1 image: 1 rendition was written, 0 old files were deleted." in out


def test_quiet_run_prints_only_the_summary(illustrated_article):
    out, _err = run("--verbosity", "0")
    assert "[1/1]" not in out
    assert "1 image:" in out


def test_a_missing_original_is_reported_and_the_others_are_done(db, fresh_storage):
    broken = ArticleFactory(**featured(800, 600), title="Cassé")
    fine = ArticleFactory(**featured(800, 600), title="Intact")
    fresh_storage.delete(broken.featured_image.name)
    for name in current_renditions(fine):
        fresh_storage.delete(name)
    with pytest.raises(CommandError, match="1 image"):
        run()
    assert all(fresh_storage.exists(name) for name in current_renditions(fine))
