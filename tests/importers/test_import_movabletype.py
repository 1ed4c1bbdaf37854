"""Movable Type / TypePad exports: what an operator's import leaves behind."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError
from django_comments_xtd.models import XtdComment

from blog.models import Article
from wordpress.models import ImportedItem

from .conftest import DATA, database_state

EXPORT = DATA / "movabletype.txt"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def imported(db, run_import):
    return run_import("import_movabletype", EXPORT)


def test_entries_become_articles(imported):
    assert Article.objects.count() == 3
    article = Article.objects.get(slug="ete-a-paris")
    assert article.title == "Été à Paris & ailleurs"
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == datetime.datetime(2015, 7, 14, 23, 30, tzinfo=PARIS)
    assert article.author.profile.display_name == "Marie Curie"
    # "Convert breaks": blank lines are paragraphs, single newlines line breaks.
    assert "<p>Premier paragraphe<br>" in article.body
    assert '<a href="http://example.org/"' in article.body
    assert "La suite du billet" in article.body
    # The main text before the extended one is the excerpt, as WordPress' <!--more--> is.
    assert article.excerpt.startswith("Premier paragraphe")
    assert "La suite" not in article.excerpt


def test_categories_tags_and_statuses(imported):
    article = Article.objects.get(slug="ete-a-paris")
    assert article.category.name == "Voyages"
    assert set(article.tags.names()) == {"Tour Eiffel", "été", "Cuisine française"}
    draft = Article.objects.get(slug="brouillon")
    assert draft.status == Article.Status.DRAFT
    assert draft.comments_enabled is False
    assert "<strong>prêt</strong>" in draft.body
    noel = Article.objects.get(slug="noel")
    assert noel.title == "Noël & les fêtes"
    assert noel.category.name == "Fêtes"
    assert "<h2>Joyeux Noël</h2>" in noel.body
    assert "« pain d'épices »" in noel.body


def test_comments_keep_their_links_as_text_and_trackbacks_are_skipped(imported):
    article = Article.objects.get(slug="ete-a-paris")
    comments = XtdComment.objects.filter(object_pk=str(article.pk)).order_by("submit_date")
    assert [c.user_name for c in comments] == ["Jean Dupont", "Zoé"]
    first, second = comments
    assert first.comment == "Très beau billet ! Voir mon album (http://jean.example.org/paris)."
    assert first.user_email == "jean@example.org"
    assert first.user_url == "http://jean.example.org/"
    assert first.ip_address == "192.0.2.10"
    assert first.is_public
    assert second.comment == "Merci\npour le partage."
    assert "pingbacks and trackbacks: 1" in imported


def test_summary_and_source(imported):
    assert "posts" in imported and "comments" in imported
    assert "Import finished (source: movabletype:marie.typepad.com)" in imported
    assert ImportedItem.objects.filter(source="movabletype:marie.typepad.com", kind="post").count() == 3


def test_article_page_shows_the_text_and_the_old_address_redirects(imported, client):
    article = Article.objects.get(slug="ete-a-paris")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Second paragraphe" in response.content.decode()
    assert "Très beau billet" in response.content.decode()
    old = client.get("/blog/2015/07/ete-a-paris.html")
    assert old.status_code == 301
    assert old["Location"] == article.get_absolute_url()
    # Drafts have no old address to redirect.
    assert Redirect.objects.count() == 1


def test_importing_again_updates_instead_of_duplicating(imported, run_import, write_file):
    before = database_state()
    run_import("import_movabletype", EXPORT)
    assert database_state() == before
    changed = EXPORT.read_text(encoding="utf-8").replace("Second paragraphe", "Paragraphe corrigé")
    # Another file name, the same blog (known by its addresses).
    out = run_import("import_movabletype", write_file(changed, name="export-2.txt"))
    assert database_state() == {**before, "revisions": before["revisions"] + 1}
    article = Article.objects.get(slug="ete-a-paris")
    assert "Paragraphe corrigé" in article.body
    # A version per import that changed something, none for the unchanged one.
    assert list(article.revisions.order_by("created_at", "pk").values_list("comment", flat=True)) == [
        "Imported from Movable Type",
        "Updated from a Movable Type export",
    ]
    assert "source: movabletype:marie.typepad.com" in out


def test_dry_run_writes_nothing(db, run_import):
    before = database_state()
    out = run_import("import_movabletype", EXPORT, dry_run=True)
    assert "Dry run: nothing was written." in out
    assert database_state() == before


def test_source_option_names_the_blog(db, run_import):
    run_import("import_movabletype", EXPORT, source="mon-ancien-blog")
    assert ImportedItem.objects.filter(source="movabletype:mon-ancien-blog").exists()


def test_timezone_option(db, run_import):
    run_import("import_movabletype", EXPORT, timezone="America/Montreal")
    article = Article.objects.get(slug="ete-a-paris")
    assert article.published_at == datetime.datetime(2015, 7, 14, 23, 30, tzinfo=ZoneInfo("America/Montreal"))
    with pytest.raises(CommandError, match="Unknown time zone"):
        run_import("import_movabletype", EXPORT, timezone="Mars/Olympus")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (EXPORT.read_text(encoding="utf-8")[:1200], "cut short"),
        ("<?xml version='1.0'?><rss><channel></channel></rss>\n", "not a Movable Type"),
        ("", "no Movable Type entry"),
        (
            EXPORT.read_text(encoding="utf-8").replace("07/14/2015 11:30:00 PM", "le 14 juillet"),
            "invalid date",
        ),
    ],
    ids=["truncated", "wrong format", "empty", "bad date"],
)
def test_bad_files_are_refused_and_change_nothing(db, run_import, write_file, text, message):
    before = database_state()
    with pytest.raises(CommandError, match=message):
        run_import("import_movabletype", write_file(text))
    assert database_state() == before


def test_bad_date_in_a_later_entry_rolls_back_the_earlier_ones(db, run_import, write_file):
    text = EXPORT.read_text(encoding="utf-8").replace("12/24/2015 18:00:00", "31/31/2015 99:00:00")
    before = database_state()
    with pytest.raises(CommandError, match="invalid date"):
        run_import("import_movabletype", write_file(text))
    assert database_state() == before


def test_file_not_in_utf8(db, run_import, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(EXPORT.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run_import("import_movabletype", path)


def test_missing_file(db, run_import, tmp_path):
    with pytest.raises(CommandError, match="Cannot read the file"):
        run_import("import_movabletype", tmp_path / "missing.txt")
