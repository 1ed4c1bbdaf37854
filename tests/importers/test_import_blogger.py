"""Blogger's Atom export: posts, drafts, labels, threaded comments, and bad files."""

import datetime

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError
from django_comments_xtd.models import XtdComment

from blog.models import Article
from wordpress.models import ImportedItem

from .conftest import DATA, database_state

EXPORT = DATA / "blogger.atom"


@pytest.fixture
def imported(db, run_import):
    return run_import("import_blogger", EXPORT)


def test_posts_and_drafts(imported):
    assert Article.objects.count() == 2
    article = Article.objects.get(title="Été à Paris & ailleurs")
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == datetime.datetime(2015, 7, 14, 21, 30, tzinfo=datetime.UTC)
    assert "Premier paragraphe<br>sur deux lignes." in article.body
    assert "Le « second » paragraphe." in article.body
    # The embedded player became a link to the video.
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in article.body
    assert "<iframe" not in article.body
    draft = Article.objects.get(title="Brouillon")
    assert draft.status == Article.Status.DRAFT
    assert "pages: Blogger pages (not imported): 1" in imported


def test_labels_become_category_and_keywords(imported):
    article = Article.objects.get(title="Été à Paris & ailleurs")
    assert article.category.name == "Voyages"
    assert list(article.tags.names()) == ["Été"]


def test_comments_are_threaded(imported):
    article = Article.objects.get(title="Été à Paris & ailleurs")
    comments = XtdComment.objects.filter(object_pk=str(article.pk)).order_by("submit_date")
    first, reply = comments
    assert first.user_name == "Jean Dupont"
    assert first.comment == "Très beau billet ! Voir mon album (http://jean.example.org/album)."
    assert first.user_url == "http://jean.example.org/"
    # Blogger's placeholder address is not an address.
    assert first.user_email == ""
    assert reply.parent_id == first.pk
    assert reply.level == 1


def test_the_page_shows_the_post_and_the_old_address_redirects(imported, client):
    article = Article.objects.get(title="Été à Paris & ailleurs")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Le « second » paragraphe." in response.content.decode()
    assert "Merci Jean !" in response.content.decode()
    old = client.get("/2015/07/ete-paris.html")
    assert old.status_code == 301
    assert old["Location"] == article.get_absolute_url()
    assert Redirect.objects.count() == 1


def test_source_is_the_blog_address(imported):
    assert "source: blogger:monblog.blogspot.com" in imported
    assert ImportedItem.objects.filter(source="blogger:monblog.blogspot.com", kind="comment").count() == 2


def test_importing_again_updates_instead_of_duplicating(imported, run_import, write_file):
    before = database_state()
    run_import("import_blogger", EXPORT)
    assert database_state() == before
    changed = EXPORT.read_text(encoding="utf-8").replace("Merci Jean !", "Merci beaucoup Jean !")
    changed = changed.replace("term='Voyages'", "term='Balades'")
    run_import("import_blogger", write_file(changed, name="blog-2.xml"))
    article = Article.objects.get(title="Été à Paris & ailleurs")
    assert article.category.name == "Balades"
    assert XtdComment.objects.filter(comment="Merci beaucoup Jean !").count() == 1
    after = database_state()
    assert after["articles"] == before["articles"]
    assert after["comments"] == before["comments"]
    assert after["categories"] == before["categories"] + 1
    assert after["revisions"] == before["revisions"] + 1


def test_dry_run(db, run_import):
    before = database_state()
    assert "Dry run" in run_import("import_blogger", EXPORT, dry_run=True)
    assert database_state() == before


BOMB = """<?xml version="1.0"?>
<!DOCTYPE feed [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&c;</title></feed>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&secret;</title></feed>
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (EXPORT.read_text(encoding="utf-8")[:4000], "not well-formed XML"),
        ("<?xml version='1.0'?><rss version='2.0'><channel/></rss>", "not a Blogger export"),
        (
            "<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>x</title></entry></feed>",
            "not a Blogger export",
        ),
        ("Ceci n'est pas du XML.", "not well-formed XML"),
        (BOMB, "refused for safety"),
        (EXTERNAL, "refused for safety"),
        (
            EXPORT.read_text(encoding="utf-8").replace("2015-07-14T23:30:00.000+02:00", "hier soir"),
            "invalid date",
        ),
    ],
    ids=["truncated", "rss", "plain atom", "not xml", "billion laughs", "external entity", "bad date"],
)
def test_bad_files_are_refused_and_change_nothing(db, run_import, write_file, text, message):
    before = database_state()
    with pytest.raises(CommandError, match=message):
        run_import("import_blogger", write_file(text, name="bad.atom"))
    assert database_state() == before
