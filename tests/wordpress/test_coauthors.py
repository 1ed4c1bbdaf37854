"""Co-authors (the Co-Authors Plus plugin's): imported in order, exported the same way."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from blog.models import Article, ArticleAuthor, author_display_name
from editorial.models import ArticleRevision
from tests.factories import ArticleFactory, AuthorProfileFactory, UserFactory
from wordpress.models import ImportedItem

from .wxr import author, cdata, item, wxr

pytestmark = pytest.mark.django_db


def byline(*authors):
    """Co-Authors Plus's terms: each author of the post, named by login, with a "cap-" slug."""
    return "".join(
        f'\n    <category domain="author" nicename="{nicename}">{cdata(login)}</category>'
        for login, nicename in authors
    )


def post(wp_id, title, *, creator, authors, **kwargs):
    return item(wp_id, title, creator=creator, **kwargs).replace(
        "\n  </item>", byline(*authors) + "\n  </item>"
    )


def guest_author(wp_id, login, *, display_name, email="", first="", last=""):
    meta = {
        "cap-user_login": login,
        "cap-display_name": display_name,
        "cap-user_email": email,
        "cap-first_name": first,
        "cap-last_name": last,
    }
    return item(
        wp_id, display_name, slug=f"cap-{login}", post_type="guest-author", status="publish", postmeta=meta
    )


def export_with_coauthors(*, order=("jdupont", "invitee")):
    authors = [("marie", "cap-marie")] + [(login, f"cap-{login}") for login in order]
    return wxr(
        author("marie", wp_id=1, display_name="Marie Curie"),
        author("jdupont", wp_id=2, display_name="Jean Dupont"),
        guest_author(900, "invitee", display_name="Invitée Surprise", email="invitee@example.org"),
        post(101, "Écrit à trois", creator="marie", authors=authors),
        # The main author named again further on, and a co-author twice: each kept once, in place.
        post(
            102,
            "Écrit à deux",
            creator="marie",
            slug="ecrit-a-deux",
            authors=[("jdupont", "jdupont"), ("marie", "cap-marie"), ("jdupont", "cap-jdupont")],
        ),
        item(103, "Écrit seule", creator="marie", slug="ecrit-seule"),
    )


def run(path, *args):
    out = StringIO()
    with translation.override("en"):
        call_command("import_wordpress", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def logins(article):
    return [user.get_username() for user in Article.objects.get(pk=article.pk).author_list]


def test_coauthors_are_imported_in_their_order(write_wxr):
    output = run(write_wxr(export_with_coauthors()))
    three = Article.objects.get(title="Écrit à trois")
    assert logins(three) == ["marie", "jdupont", "invitee"]
    assert logins(Article.objects.get(title="Écrit à deux")) == ["marie", "jdupont"]
    assert logins(Article.objects.get(title="Écrit seule")) == ["marie"]
    assert "with co-authors (Co-Authors Plus): kept in their order" in output
    assert "taxonomy “author”" not in output
    assert "guest-author" not in output  # not reported as a post left out


def test_guest_authors_become_authors_with_their_name(write_wxr):
    run(write_wxr(export_with_coauthors()))
    guest = get_user_model().objects.get(username="invitee")
    assert author_display_name(guest) == "Invitée Surprise"
    assert guest.email == "invitee@example.org"
    assert not guest.has_usable_password()
    assert not Article.objects.filter(title="Invitée Surprise").exists()


def test_a_coauthor_missing_from_the_authors_list_is_created_like_the_main_author(write_wxr):
    path = write_wxr(wxr(post(201, "Avec un inconnu", creator="marie", authors=[("lucas", "cap-lucas")])))
    run(path)
    article = Article.objects.get(title="Avec un inconnu")
    assert logins(article) == ["marie", "lucas"]
    assert ImportedItem.objects.filter(kind=ImportedItem.Kind.AUTHOR, wp_id="lucas").exists()


def test_an_existing_user_is_matched_by_login(write_wxr):
    jean = AuthorProfileFactory(user=UserFactory(username="jdupont"), display_name="Jean (ici)").user
    run(write_wxr(export_with_coauthors()))
    assert Article.objects.get(title="Écrit à trois").coauthors.filter(pk=jean.pk).exists()
    assert get_user_model().objects.filter(username="jdupont").count() == 1


def test_importing_again_changes_nothing_then_follows_a_new_order(write_wxr):
    path = write_wxr(export_with_coauthors())
    run(path)
    three = Article.objects.get(title="Écrit à trois")
    versions = ArticleRevision.objects.filter(article=three).count()
    links = list(ArticleAuthor.objects.filter(article=three).values_list("pk", flat=True))
    run(path)
    assert ArticleRevision.objects.filter(article=three).count() == versions
    assert list(ArticleAuthor.objects.filter(article=three).values_list("pk", flat=True)) == links
    run(write_wxr(export_with_coauthors(order=("invitee",)), name="second.xml"))
    assert logins(three) == ["marie", "invitee"]
    assert ArticleRevision.objects.filter(article=three).count() == versions + 1


def test_export_writes_coauthors_as_co_authors_plus_does_and_reads_them_back(tmp_path):
    marie = AuthorProfileFactory(user=UserFactory(username="marie"), display_name="Marie").user
    jean = AuthorProfileFactory(user=UserFactory(username="jean.dupont"), display_name="Jean").user
    lea = AuthorProfileFactory(user=UserFactory(username="lea"), display_name="Léa").user
    together = ArticleFactory(title="Ensemble", slug="ensemble", author=marie)
    ArticleAuthor.objects.create(article=together, user=lea, position=1)
    ArticleAuthor.objects.create(article=together, user=jean, position=2)
    ArticleFactory(title="Seule", slug="seule", author=marie)
    path = tmp_path / "site.xml"
    call_command("export_wordpress", "--output", str(path), stdout=StringIO())
    text = path.read_text(encoding="utf-8")
    assert (
        '<category domain="author" nicename="cap-marie"><![CDATA[marie]]></category>\n'
        '\t\t<category domain="author" nicename="cap-lea"><![CDATA[lea]]></category>\n'
        '\t\t<category domain="author" nicename="cap-jeandupont"><![CDATA[jean.dupont]]></category>'
    ) in text
    assert text.count('domain="author"') == 3  # nothing for the article with one author
    assert "<wp:author_login><![CDATA[lea]]></wp:author_login>" in text

    Article.objects.all().delete()
    get_user_model().objects.all().delete()
    call_command("import_wordpress", str(path), stdout=StringIO())
    assert logins(Article.objects.get(slug="ensemble")) == ["marie", "lea", "jean.dupont"]
    assert logins(Article.objects.get(slug="seule")) == ["marie"]
    assert author_display_name(get_user_model().objects.get(username="lea")) == "Léa"
