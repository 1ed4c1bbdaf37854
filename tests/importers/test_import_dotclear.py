"""Dotclear flat exports: posts, category, tags, comments, old addresses, bad files."""

import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError
from django_comments_xtd.models import XtdComment

from blog.models import Article
from wordpress.models import ImportedItem

from .conftest import DATA, database_state

EXPORT = DATA / "dotclear.txt"
BLOG_URL = "http://monblog.example.fr/index.php/"


@pytest.fixture
def imported(db, run_import):
    return run_import("import_dotclear", EXPORT, blog_url=BLOG_URL)


def test_posts_statuses_and_text(imported):
    assert Article.objects.count() == 3
    article = Article.objects.get(slug="ete-a-paris")
    assert article.title == "Été à Paris & ailleurs"
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == datetime.datetime(2015, 7, 14, 23, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert article.author.profile.display_name == "marie"
    # The chapô leads the text and is the excerpt; escaped quotes, newlines and backslashes are read back.
    assert article.body.startswith("<p>Le <em>chapô</em> du billet.</p>")
    assert 'Premier paragraphe\nsur "deux" lignes.' in article.body
    assert "Un antislash \\ ici." in article.body
    assert article.excerpt == "Le chapô du billet."
    assert Article.objects.get(title="Brouillon").status == Article.Status.DRAFT
    noel = Article.objects.get(title="Noël")
    assert noel.status == Article.Status.REVIEW
    assert noel.comments_enabled is False
    assert "<h2>Joyeux Noël</h2>" in noel.body
    assert "pages: Dotclear pages and other kinds of entries (not imported): 1" in imported


def test_category_and_tags(imported):
    article = Article.objects.get(slug="ete-a-paris")
    assert article.category.name == "Voyages"
    assert set(article.tags.names()) == {"été", "Tour Eiffel"}
    assert Article.objects.get(title="Noël").category.name == "Fêtes & traditions"


def test_comments_and_their_moderation(imported):
    article = Article.objects.get(slug="ete-a-paris")
    comments = {c.user_name: c for c in XtdComment.objects.filter(object_pk=str(article.pk))}
    assert set(comments) == {"Jean Dupont", "Spammeur", "Zoé"}
    assert (
        comments["Jean Dupont"].comment
        == "Très beau billet ! Voir mon album (http://jean.example.org/album)."
    )
    assert comments["Jean Dupont"].is_public and not comments["Jean Dupont"].is_removed
    assert comments["Spammeur"].is_removed
    assert not comments["Zoé"].is_public
    assert "pingbacks and trackbacks: 1" in imported


def test_page_and_old_address(imported, client):
    article = Article.objects.get(slug="ete-a-paris")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Un antislash" in response.content.decode()
    old = client.get(quote("/index.php/post/2015/07/14/Été-à-Paris"))
    assert old.status_code == 301
    assert old["Location"] == article.get_absolute_url()
    # Only published posts are redirected.
    assert Redirect.objects.count() == 1
    assert "source: dotclear:monblog.example.fr/index.php" in imported


def test_query_string_addresses_cannot_be_redirected(db, run_import):
    out = run_import("import_dotclear", EXPORT, blog_url="http://monblog.example.fr/index.php?")
    assert Redirect.objects.count() == 0
    assert "redirects: old address with a query string or no path: 1" in out


def test_without_the_blog_address(db, run_import):
    out = run_import("import_dotclear", EXPORT)
    assert Redirect.objects.count() == 0
    assert ImportedItem.objects.filter(source="dotclear:default", kind="post").count() == 3
    assert "source: dotclear:default" in out


def test_importing_again_updates_instead_of_duplicating(imported, run_import, write_file):
    before = database_state()
    run_import("import_dotclear", EXPORT, blog_url=BLOG_URL)
    assert database_state() == before
    changed = EXPORT.read_text(encoding="utf-8").replace("Pas encore prêt.", "Presque prêt.")
    run_import("import_dotclear", write_file(changed, name="backup.txt"), blog_url=BLOG_URL)
    assert database_state() == {**before, "revisions": before["revisions"] + 1}
    assert "Presque prêt." in Article.objects.get(title="Brouillon").body


def test_dry_run(db, run_import):
    before = database_state()
    assert "Dry run" in run_import("import_dotclear", EXPORT, dry_run=True)
    assert database_state() == before


def _text():
    return EXPORT.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_text()[: len(_text()) - 200], "cut short|not a complete row"),
        ("AUTHOR: x\nTITLE: y\n-----\n", "not a Dotclear flat export"),
        ("", "not a Dotclear flat export"),
        (_text().replace('"2","default","Fêtes', '"2","Fêtes'), "values for 8 columns"),
        (_text().replace("2015-12-24 18:00:00", "Noël 2015"), "invalid date"),
        (_text().replace('"12","default"', '"12","autre"'), "several blogs"),
    ],
    ids=["truncated", "movable type", "empty", "missing column", "bad date", "two blogs"],
)
def test_bad_files_are_refused_and_change_nothing(db, run_import, write_file, text, message):
    before = database_state()
    with pytest.raises(CommandError, match=message):
        run_import("import_dotclear", write_file(text))
    assert database_state() == before


def test_blog_url_must_be_a_web_address(db, run_import):
    with pytest.raises(CommandError, match="--blog-url"):
        run_import("import_dotclear", EXPORT, blog_url="monblog")
