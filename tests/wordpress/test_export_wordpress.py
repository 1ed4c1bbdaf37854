import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.management import CommandError, call_command
from django.utils import translation
from django_comments_xtd.models import XtdComment
from taggit.models import Tag

from blog.models import Article, Category
from tests.factories import ArticleFactory, AuthorProfileFactory, CategoryFactory, UserFactory
from tests.snapshot import snapshot
from wordpress.models import ImportedItem
from wordpress.reader import Author, Item, Term, WXRReader

UTC = datetime.UTC


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def site_content(db, make_comment, thread_levels):
    thread_levels(3)
    marie = AuthorProfileFactory(user=UserFactory(username="marie"), display_name="Marie « M » Curie").user
    jean = AuthorProfileFactory(user=UserFactory(username="jean"), display_name="Jean").user
    parent = CategoryFactory(
        name="Réseaux sociaux & co", slug="reseaux-sociaux", description="Tout <b>ça</b>"
    )
    child = CategoryFactory(name="Twitter", slug="twitter", parent=parent)
    CategoryFactory(name="Vide", slug="vide")
    welcome = ArticleFactory(
        title="Bienvenue & « salut » <b>",
        slug="bienvenue",
        author=marie,
        category=child,
        excerpt="Un résumé & des <balises>",
        body='<p>Premier <a href="https://example.org/">lien</a> 5 &gt; 3</p>\n<pre>code\n\nici</pre>',
        published_at=at(2015, 3, 1, 9, 30),
        featured=True,
        tags=["Communauté", "veille"],
    )
    ArticleFactory(
        title="Été", slug="ete", author=jean, category=parent, published_at=at(2015, 7, 14, 21, 30)
    )
    ArticleFactory(
        title="Brouillon", slug="brouillon", author=jean, category=None, draft=True, published_at=None
    )
    ArticleFactory(
        title="En relecture", slug="relecture", author=jean, status=Article.Status.REVIEW, published_at=None
    )
    ArticleFactory(title="Programmé", slug="programme", author=marie, published_at=at(2099, 1, 1, 7, 0))
    ArticleFactory(
        title="Fermé", slug="ferme", author=marie, comments_enabled=False, published_at=at(2016, 1, 2, 3, 4)
    )
    first = make_comment(
        welcome, "Premier ! <3 & plus", submit_date=at(2015, 3, 2, 9, 0), ip_address="192.0.2.1"
    )
    reply = make_comment(welcome, "Réponse\nsur deux lignes", parent=first, user=marie, user_name="Marie",
                         submit_date=at(2015, 3, 2, 10, 0))  # fmt: skip
    make_comment(welcome, "Réponse à la réponse", parent=reply, submit_date=at(2015, 3, 2, 11, 0))
    make_comment(welcome, "En attente", public=False, submit_date=at(2015, 3, 2, 12, 0))
    make_comment(welcome, "Spam", public=False, removed=True, submit_date=at(2015, 3, 2, 13, 0),
                 user_url="https://spam.example.com/")  # fmt: skip
    page = FlatPage.objects.create(url="/a-propos/", title="À propos", content="<p>Qui suis-je ?</p>")
    page.sites.add(Site.objects.get_current())
    private = FlatPage.objects.create(
        url="/interne/", title="Interne", content="<p>Réservé</p>", registration_required=True
    )
    private.sites.add(Site.objects.get_current())


def export(tmp_path, *args, **options):
    path = tmp_path / "site.xml"
    out = StringIO()
    with translation.override("en"):
        call_command("export_wordpress", "--output", str(path), *args, stdout=out, **options)
    return path, out.getvalue()


def wipe_site():
    """What an empty site has: no content, no authors."""
    XtdComment.objects.all().delete()
    Article.objects.all().delete()
    while Category.objects.exists():
        Category.objects.filter(children__isnull=True).delete()
    Tag.objects.all().delete()
    FlatPage.objects.all().delete()
    Redirect.objects.all().delete()
    ImportedItem.objects.all().delete()
    get_user_model().objects.all().delete()


def test_round_trip_gives_the_same_site(site_content, tmp_path):
    before = snapshot()
    # Three pages: the two of the fixture and the privacy page.
    assert len(before["articles"]) == 6 and len(before["categories"]) == 6 and len(before["pages"]) == 3
    assert sum(len(article[-1]) for article in before["articles"]) == 5
    path, _output = export(tmp_path)
    wipe_site()
    call_command("import_wordpress", str(path), stdout=StringIO())
    assert snapshot() == before


def test_export_then_import_into_the_same_site_changes_nothing_twice(site_content, tmp_path):
    path, _output = export(tmp_path)
    wipe_site()
    call_command("import_wordpress", str(path), stdout=StringIO())
    after_first = snapshot()
    call_command("import_wordpress", str(path), stdout=StringIO())
    assert snapshot() == after_first


def test_file_is_a_wxr_that_wordpress_reads(site_content, tmp_path):
    path, output = export(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8" ?>')
    assert "<wp:wxr_version>1.2</wp:wxr_version>" in text
    assert "<![CDATA[" in text
    reader = WXRReader(path)
    entries = list(reader)
    assert reader.site.wxr_version == "1.2"
    kinds = [type(entry) for entry in entries]
    # Authors and terms come before the items that use them.
    assert kinds.index(Item) > max(i for i, kind in enumerate(kinds) if kind in (Author, Term))
    categories = [entry.slug for entry in entries if isinstance(entry, Term) and entry.taxonomy == "category"]
    assert categories.index("reseaux-sociaux") < categories.index("twitter")
    items = [entry for entry in entries if isinstance(entry, Item)]
    assert {i.post_type for i in items} == {"post", "page"}
    assert len({i.wp_id for i in items}) == len(items)
    assert {i.status for i in items} == {"publish", "draft", "pending", "future", "private"}
    assert "posts" in output and "6" in output


def test_date_range(site_content, tmp_path):
    path, _output = export(tmp_path, "--since", "2015-01-01", "--until", "2015-12-31")
    items = [entry for entry in WXRReader(path) if isinstance(entry, Item)]
    assert sorted(i.title for i in items) == ["Bienvenue &amp; « salut » &lt;b&gt;", "Été"]


def test_to_standard_output(site_content):
    out, err = StringIO(), StringIO()
    call_command("export_wordpress", stdout=out, stderr=err)
    assert out.getvalue().startswith("<?xml")
    assert out.getvalue().rstrip().endswith("</rss>")
    assert "posts" in err.getvalue()


def test_bad_dates_are_refused(db):
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("export_wordpress", "--since", "hier", stdout=StringIO())
    with pytest.raises(CommandError, match="ne doit pas être postérieur"):
        call_command("export_wordpress", "--since", "2020-01-02", "--until", "2020-01-01", stdout=StringIO())


def test_unwritable_output(db, tmp_path):
    with pytest.raises(CommandError, match="Impossible d’écrire"):
        call_command("export_wordpress", "--output", str(tmp_path / "absent" / "x.xml"), stdout=StringIO())
