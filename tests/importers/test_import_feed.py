"""Any RSS or Atom feed, as a last resort: posts with their categories, nothing downloaded."""

import datetime

import pytest
from django.core.management import CommandError

from blog.models import Article
from wordpress.models import ImportedItem

from .conftest import DATA, database_state
from .test_import_blogger import BOMB, EXTERNAL

RSS = DATA / "feed-rss.xml"
ATOM = DATA / "feed-atom.xml"


@pytest.fixture
def imported(db, run_import):
    return run_import("import_feed", RSS)


def test_rss_items_become_published_articles(imported):
    assert Article.objects.count() == 2
    article = Article.objects.get(title="Été à Paris & ailleurs")
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == datetime.datetime(2015, 7, 14, 21, 30, tzinfo=datetime.UTC)
    assert article.author.profile.display_name == "Zoé"
    assert "Le « premier » paragraphe." in article.body
    assert "<h2>Une étape</h2>" in article.body
    assert "Crème brûlée &amp; macarons." in article.body
    assert "<script" not in article.body and "alert" not in article.body
    assert article.excerpt == "Un résumé de l'été."
    assert article.category.name == "Voyages"
    assert list(article.tags.names()) == ["Cuisine française"]
    # An item with only a description: that is its body.
    assert "Joyeux Noël à tous !" in Article.objects.get(title="Noël").body
    assert "source: feed:carnet.example.net" in imported


def test_atom_feed(db, run_import):
    out = run_import("import_feed", ATOM)
    article = Article.objects.get()
    assert article.title == "Les « bons » outils"
    assert "Ça marche très bien." in article.body
    assert article.category.name == "Logiciels"
    assert article.published_at == datetime.datetime(2016, 1, 1, 9, 0, tzinfo=datetime.UTC)
    assert "source: feed:andre.example.org" in out


def test_page_and_old_address(imported, client):
    article = Article.objects.get(title="Été à Paris & ailleurs")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Crème brûlée" in response.content.decode()
    old = client.get("/2015/07/ete-a-paris/")
    assert old.status_code == 301
    assert old["Location"] == article.get_absolute_url()


def test_importing_again_updates_instead_of_duplicating(imported, run_import, write_file):
    before = database_state()
    run_import("import_feed", RSS)
    assert database_state() == before
    changed = RSS.read_text(encoding="utf-8").replace("macarons", "madeleines")
    run_import("import_feed", write_file(changed, name="copie.xml"))
    assert database_state() == {**before, "revisions": before["revisions"] + 1}
    assert "madeleines" in Article.objects.get(title="Été à Paris & ailleurs").body
    assert ImportedItem.objects.filter(source="feed:carnet.example.net", kind="post").count() == 2


def test_an_address_is_not_downloaded(db, run_import):
    with pytest.raises(CommandError, match="nothing is downloaded"):
        run_import("import_feed", "https://carnet.example.net/feed/")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (RSS.read_text(encoding="utf-8")[:900], "not well-formed XML"),
        ("<html><body>Pas un flux</body></html>", "not an RSS or Atom feed"),
        ("Pas du XML du tout", "not well-formed XML"),
        (BOMB, "refused for safety"),
        (EXTERNAL, "refused for safety"),
    ],
    ids=["truncated", "html", "not xml", "billion laughs", "external entity"],
)
def test_bad_files_are_refused_and_change_nothing(db, run_import, write_file, text, message):
    before = database_state()
    with pytest.raises(CommandError, match=message):
        run_import("import_feed", write_file(text, name="bad.xml"))
    assert database_state() == before


def test_an_old_rss_091_feed_in_latin_1_with_its_doctype(db, run_import, tmp_path):
    text = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        '<rss version="0.91"><channel><title>Vieux</title><link>http://vieux.example.fr/</link>'
        "<description>x</description><item><title>Café</title><link>http://vieux.example.fr/cafe.html</link>"
        "<description>Un café crème</description></item></channel></rss>\n"
    )
    path = tmp_path / "old.xml"
    path.write_bytes(text.encode("latin-1"))
    out = run_import("import_feed", path)
    article = Article.objects.get()
    assert article.title == "Café"
    assert "Un café crème" in article.body
    # No date in the feed: dated at the import, and said so.
    assert "no date in the export" in out
