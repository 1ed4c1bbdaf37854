import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation
from django_comments_xtd.models import XtdComment
from taggit.models import Tag

from blog.models import Article, Category
from tests.factories import CategoryFactory, UserFactory
from wordpress.models import ImportedItem

from .wxr import BASE, author, category, comment, item, tag, wxr

UTC = datetime.UTC
PARIS = ZoneInfo("Europe/Paris")


def run(path, *args, language="en", **options):
    out = StringIO()
    with translation.override(language):
        call_command("import_wordpress", str(path), *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def sample_export():
    """A small blog with a bit of everything a real export has."""
    return wxr(
        author("marie", wp_id=1, display_name="Marie Curie", first="Marie", last="Curie"),
        author("jean.dupont", wp_id=2, email="jean@example.org", display_name="Jean D."),
        # The child comes before its parent, as exports sometimes have it.
        category("twitter", "Twitter", term_id=12, parent="reseaux-sociaux"),
        category("reseaux-sociaux", "Réseaux sociaux", term_id=11, description="Tout sur les réseaux"),
        category("strategie", "Stratégie &amp; marketing", term_id=13),
        tag("communaute", "Communauté", term_id=21),
        item(
            101,
            "Bienvenue",
            slug="bienvenue",
            content="Premier paragraphe\nsur deux lignes.\n\nSecond paragraphe.",
            excerpt="Le <b>début</b> du blog &amp; plus",
            categories=[("twitter", "Twitter")],
            tags=[("communaute", "Communauté"), ("veille", "Veille")],
            sticky=True,
            comments=[
                comment(1001, "Premier !", date_gmt="2015-03-02 09:00:00"),
                comment(
                    1002,
                    "Réponse à la première",
                    parent=1001,
                    date_gmt="2015-03-02 10:00:00",
                    author="Marie Curie",
                    user_id=1,
                ),
                comment(1003, "Réponse à la réponse", parent=1002, date_gmt="2015-03-02 11:00:00"),
                comment(1004, "En attente", approved="0", date_gmt="2015-03-02 12:00:00"),
                comment(1005, "Achetez des montres", approved="spam", date_gmt="2015-03-02 13:00:00"),
                comment(1006, "Supprimé", approved="trash", date_gmt="2015-03-02 14:00:00"),
                comment(1007, "Lien vers vous", type="pingback"),
            ],
        ),
        item(
            102,
            "Été à Paris",
            slug="%c3%a9t%c3%a9-%c3%a0-paris",
            creator="jean.dupont",
            date="2015-07-14 23:30:00",
            date_gmt="2015-07-14 21:30:00",
            link="http://ancien-blog.example.com/2015/07/14/%c3%a9t%c3%a9-%c3%a0-paris/",
            categories=[("strategie", "Stratégie &amp; marketing")],
        ),
        item(103, "Brouillon", status="draft", date_gmt="0000-00-00 00:00:00"),
        item(104, "En relecture", status="pending", date_gmt="0000-00-00 00:00:00"),
        item(105, "Programmé", status="future", date="2099-01-01 08:00:00", date_gmt="2099-01-01 07:00:00"),
        item(106, "Privé", status="private"),
        item(107, "À la corbeille", status="trash", comments=[comment(1010, "Perdu")]),
        item(108, "Protégé", password="secret"),
        item(109, "Heure locale seulement", date="2015-06-01 12:00:00", date_gmt="0000-00-00 00:00:00"),
        item(110, "Commentaires fermés", comment_status="closed"),
        item(
            201,
            "À propos",
            slug="a-propos",
            post_type="page",
            link="http://ancien-blog.example.com/a-propos/",
            content="Qui suis-je ?\n\nUne blogueuse.",
        ),
        item(202, "Brouillon de page", post_type="page", status="draft"),
        item(301, "menu", post_type="nav_menu_item"),
    )


@pytest.fixture
def imported(db, write_wxr, thread_levels):
    thread_levels(5)
    path = write_wxr(sample_export())
    return path, run(path)


def article(wp_id):
    return Article.objects.get(pk=ImportedItem.objects.get(kind="post", wp_id=str(wp_id)).object_id)


def test_summary_counts_created_and_skipped(imported):
    _path, output = imported
    assert "posts" in output and "comments" in output
    assert "in the trash: 1" in output
    assert "pingbacks and trackbacks: 1" in output
    assert "Import finished" in output


def test_authors_become_users_with_profiles_and_no_password(imported):
    marie = Article.objects.get(title="Bienvenue").author
    assert marie.username == "marie"
    assert marie.profile.display_name == "Marie Curie"
    assert not marie.has_usable_password()
    assert Article.objects.get(title="Été à Paris").author.username == "jean.dupont"


def test_existing_user_matched_by_email(db, write_wxr):
    existing = UserFactory(username="jdupont", email="JEAN@example.org")
    path = write_wxr(
        wxr(author("jean.dupont", email="jean@example.org"), item(1, "Un", creator="jean.dupont"))
    )
    run(path)
    assert Article.objects.get().author == existing
    assert not type(existing).objects.filter(username="jean.dupont").exists()


def test_category_hierarchy(imported):
    twitter = Category.objects.get(slug="twitter")
    assert twitter.parent.slug == "reseaux-sociaux"
    assert twitter.parent.description == "Tout sur les réseaux"
    assert Category.objects.get(slug="strategie").name == "Stratégie & marketing"
    assert Article.objects.get(title="Bienvenue").category == twitter


def test_existing_category_with_same_slug_is_reused(db, write_wxr):
    existing = CategoryFactory(slug="twitter", name="Twitter")
    path = write_wxr(
        wxr(category("twitter", "Twitter", term_id=3), item(1, "Un", categories=[("twitter", "Twitter")]))
    )
    run(path)
    assert Category.objects.count() == 1
    assert Article.objects.get().category == existing


def test_tags_declared_or_only_used(imported):
    names = set(Article.objects.get(title="Bienvenue").tags.names())
    assert names == {"Communauté", "Veille"}


def test_every_post_status(imported):
    now = datetime.datetime.now(UTC)
    welcome = article(101)
    assert welcome.status == Article.Status.PUBLISHED and welcome.is_public
    assert welcome.published_at == datetime.datetime(2015, 3, 1, 9, 30, tzinfo=UTC)
    assert welcome.featured is True
    draft = article(103)
    assert draft.status == Article.Status.DRAFT and draft.published_at is None
    assert article(104).status == Article.Status.REVIEW
    scheduled = article(105)
    assert scheduled.is_scheduled and scheduled.published_at > now
    assert article(106).status == Article.Status.DRAFT  # private: kept out of sight
    assert article(108).status == Article.Status.DRAFT  # password-protected: never made public
    assert not Article.objects.filter(title="À la corbeille").exists()
    assert not ImportedItem.objects.filter(wp_id="301").exists()
    assert article(110).comments_enabled is False
    assert welcome.comments_enabled is True


def test_dates_in_the_right_time_zone(imported):
    # 23:30 in Paris on 14 July is 21:30 UTC: the archive day is the 14th, as on the old blog.
    summer = article(102)
    assert summer.published_at == datetime.datetime(2015, 7, 14, 21, 30, tzinfo=UTC)
    assert summer.publication_date == datetime.date(2015, 7, 14)
    # Without a GMT date, the local date is read in the blog's time zone.
    local = article(109)
    assert local.published_at == datetime.datetime(2015, 6, 1, 12, 0, tzinfo=PARIS)


def test_timezone_option(db, write_wxr):
    path = write_wxr(wxr(item(1, "Un", date="2015-06-01 12:00:00", date_gmt="0000-00-00 00:00:00")))
    run(path, timezone="America/Montreal")
    assert Article.objects.get().published_at == datetime.datetime(2015, 6, 1, 16, 0, tzinfo=UTC)


def test_unknown_timezone_is_refused(db, write_wxr):
    with pytest.raises(CommandError, match="Unknown time zone"):
        run(write_wxr(wxr()), timezone="Mars/Olympus")


def test_non_ascii_slug(imported):
    summer = article(102)
    assert summer.slug == "ete-a-paris"
    assert summer.get_absolute_url() == "/2015/07/14/ete-a-paris/"


def test_content_paragraphs_and_excerpt(imported):
    welcome = article(101)
    assert welcome.body == "<p>Premier paragraphe<br>\nsur deux lignes.</p>\n<p>Second paragraphe.</p>"
    assert welcome.excerpt == "Le début du blog & plus"


def test_threaded_comments_and_their_states(imported):
    welcome = article(101)
    comments = {c.comment: c for c in XtdComment.objects.filter(object_pk=str(welcome.pk))}
    assert set(comments) == {
        "Premier !",
        "Réponse à la première",
        "Réponse à la réponse",
        "En attente",
        "Achetez des montres",
        "Supprimé",
    }
    first, reply, reply_to_reply = (
        comments["Premier !"],
        comments["Réponse à la première"],
        comments["Réponse à la réponse"],
    )
    assert reply.parent_id == first.pk and reply.level == 1 and reply.thread_id == first.thread_id
    assert reply_to_reply.parent_id == reply.pk and reply_to_reply.level == 2
    assert first.is_public and not first.is_removed
    assert not comments["En attente"].is_public and not comments["En attente"].is_removed
    assert comments["Achetez des montres"].is_removed and not comments["Achetez des montres"].is_public
    assert comments["Supprimé"].is_removed
    assert first.user_name == "Lectrice" and first.user_email == "lectrice@example.org"
    assert first.ip_address == "192.0.2.10"
    assert first.submit_date == datetime.datetime(2015, 3, 2, 9, 0, tzinfo=UTC)
    assert reply.user.username == "marie"
    assert mail.outbox == []


def test_replies_deeper_than_allowed_move_up(db, write_wxr, thread_levels):
    thread_levels(1)
    path = write_wxr(wxr(item(1, "Un", comments=[
        comment(1, "racine", date_gmt="2015-03-02 09:00:00"),
        comment(2, "niveau 1", parent=1, date_gmt="2015-03-02 10:00:00"),
        comment(3, "niveau 2", parent=2, date_gmt="2015-03-02 11:00:00"),
    ])))  # fmt: skip
    output = run(path)
    by_text = {c.comment: c for c in XtdComment.objects.all()}
    assert by_text["niveau 2"].parent_id == by_text["racine"].pk
    assert by_text["niveau 2"].level == 1
    assert (
        "replies deeper than the site allows (COMMENTS_MAX_THREAD_LEVEL = 1, the export goes 2 levels "
        "deep): attached to their deepest allowed ancestor: 1"
    ) in output


def test_reply_listed_before_its_parent(db, write_wxr, thread_levels):
    thread_levels(3)
    path = write_wxr(wxr(item(1, "Un", comments=[
        comment(9, "réponse", parent=8, date_gmt="2015-03-02 08:00:00"),
        comment(8, "question", date_gmt="2015-03-02 09:00:00"),
    ])))  # fmt: skip
    run(path)
    by_text = {c.comment: c for c in XtdComment.objects.all()}
    assert by_text["réponse"].parent_id == by_text["question"].pk


def test_static_pages_become_flatpages(imported):
    page = FlatPage.objects.get(url="/a-propos/")
    assert page.title == "À propos"
    assert page.content == "<p>Qui suis-je ?</p>\n<p>Une blogueuse.</p>"
    assert page.sites.exists()
    assert not FlatPage.objects.filter(title="Brouillon de page").exists()


def test_page_is_served(imported, client):
    response = client.get("/a-propos/")
    assert response.status_code == 200
    assert "Une blogueuse." in response.content.decode()


def test_reimport_updates_without_duplicates(imported, write_wxr):
    path, _output = imported
    models = (Article, XtdComment, Category, Tag, FlatPage, Redirect, ImportedItem)
    counts = [model.objects.count() for model in models]
    output = run(path)
    assert counts == [model.objects.count() for model in models]
    assert "Import finished" in output
    # A corrected title in a newer export updates the article.
    path.write_text(
        path.read_text(encoding="utf-8").replace("<title>Bienvenue</title>", "<title>Bienvenue !</title>"),
        encoding="utf-8",
    )
    run(path)
    assert article(101).title == "Bienvenue !"
    assert Article.objects.filter(title__startswith="Bienvenue").count() == 1


def test_reimport_recreates_a_deleted_article(imported):
    path, _output = imported
    article(103).delete()
    run(path)
    assert Article.objects.filter(title="Brouillon").count() == 1


def test_summary_reads_in_french(db, write_wxr, thread_levels):
    thread_levels(5)
    output = run(write_wxr(sample_export()), language="fr", verbosity=2)
    (header,) = [line.split() for line in output.splitlines() if line.startswith("type ")]
    assert header == ["type", "créés", "mis", "à", "jour", "ignorés"]
    assert ": dans la corbeille : 1" in output
    assert "Importation : " in output and "(100 %)" in output


def test_dry_run_writes_nothing(db, write_wxr):
    path = write_wxr(sample_export())
    output = run(path, dry_run=True)
    assert "Dry run" in output
    assert Article.objects.count() == 0 and Category.objects.count() == 0
    assert ImportedItem.objects.count() == 0 and XtdComment.objects.count() == 0


def test_progress_is_shown_at_higher_verbosity(db, write_wxr):
    output = run(write_wxr(sample_export()), verbosity=2)
    assert "Importing: " in output and "(100 %)" in output


def test_silent_at_verbosity_zero(db, write_wxr):
    assert run(write_wxr(sample_export()), verbosity=0) == ""


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_version_is_read(db, write_wxr, version):
    run(write_wxr(wxr(author("marie"), item(1, "Un", content="Texte"), version=version)))
    assert Article.objects.get().body == "<p>Texte</p>"


def test_comment_author_details_are_cleaned(db, write_wxr):
    path = write_wxr(
        wxr(
            item(
                1,
                "Un",
                comments=[
                    comment(
                        1,
                        "Bonjour",
                        author="A" * 80,
                        email="pas-un-email",
                        url="javascript:alert(1)",
                        ip="n/a",
                    )
                ],
            )
        )
    )
    run(path)
    imported = XtdComment.objects.get()
    assert imported.user_name == "A" * 50
    assert imported.user_email == "" and imported.user_url == "" and imported.ip_address is None


def test_item_without_id_is_imported_under_its_guid(db, write_wxr):
    text = wxr(item(1, "Avec", slug="avec"), item(2, "Sans", slug="sans"))
    text = text.replace("<wp:post_id>2</wp:post_id>", "")
    path = write_wxr(text)
    output = run(path)
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Avec", "Sans"]
    assert "no WordPress ID: known by their guid, address or title: 1" in output
    run(path)
    assert Article.objects.count() == 2
    assert ImportedItem.objects.filter(kind="post", wp_id=f"guid:{BASE}/?p=2").exists()


def test_versions_record_the_import_and_real_changes_only(db, write_wxr):
    path = write_wxr(wxr(item(1, "Premier titre")))
    run(path)
    run(path)
    article = Article.objects.get()
    assert list(article.revisions.values_list("comment", flat=True)) == ["Imported from WordPress"]
    path.write_text(
        path.read_text(encoding="utf-8").replace("Premier titre", "Titre corrigé"), encoding="utf-8"
    )
    run(path)
    assert article.revisions.count() == 2
    assert article.revisions.first().comment == "Updated from a WordPress export"
