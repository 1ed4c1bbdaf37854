"""Articles with several authors: the byline, the authors' pages and feeds, caching, the admin."""

import datetime
import json
import re

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from blog.models import Article, ArticleAuthor, load_coauthors
from blog.templatetags.blog_tags import text_list
from caching.invalidation import SITE, article_key, versions
from editorial.models import ArticleRevision
from tests.factories import ArticleFactory, AuthorProfileFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def person(username, name):
    # Staff: the newsroom's members are who editors may choose from.
    return AuthorProfileFactory(user=UserFactory(username=username, is_staff=True), display_name=name).user


@pytest.fixture
def people(db):
    return {
        "anne": person("anne", "Anne Roux"),
        "bruno": person("bruno", "Bruno Petit"),
        "chloe": person("chloe", "Chloé Vidal"),
    }


@pytest.fixture
def coauthored(people, site):
    """An article by Anne, then Chloé (position 1) and Bruno (position 2)."""
    article = ArticleFactory(title="Écrit à trois", author=people["anne"], tags=["Équipe"])
    ArticleAuthor.objects.create(article=article, user=people["bruno"], position=2)
    ArticleAuthor.objects.create(article=article, user=people["chloe"], position=1)
    return article


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def main(html):
    """The page's own content, without the sidebar (which lists recent articles)."""
    return html.split('<main id="content"', 1)[1].split("</main>", 1)[0]


def names(users):
    return [user.get_username() for user in users]


# The byline ---------------------------------------------------------------------


def test_author_list_is_the_author_then_the_coauthors_in_order(coauthored):
    article = Article.objects.get(pk=coauthored.pk)
    assert names(article.author_list) == ["anne", "chloe", "bruno"]


def test_the_author_is_never_listed_twice(coauthored, people):
    ArticleAuthor.objects.create(article=coauthored, user=people["anne"], position=0)
    assert names(Article.objects.get(pk=coauthored.pk).author_list) == ["anne", "chloe", "bruno"]


def test_an_article_without_coauthors_has_its_author_only(db, people):
    article = ArticleFactory(author=people["anne"])
    assert names(Article.objects.get(pk=article.pk).author_list) == ["anne"]


def test_load_coauthors_reads_nothing_for_articles_without_any(db, people, django_assert_num_queries):
    ArticleFactory.create_batch(3, author=people["anne"])
    articles = list(Article.objects.for_listing())
    with django_assert_num_queries(0):
        load_coauthors(articles)
        assert [names(article.author_list) for article in articles] == [["anne"]] * 3


def test_text_list_joins_names_as_a_sentence():
    with translation.override("en"):
        assert text_list([]) == ""
        assert text_list(["A"]) == "A"
        assert text_list(["A", "B"]) == "A and B"
        assert text_list(["A", "B", "C"]) == "A, B and C"
        assert text_list(["<b>"]) == "&lt;b&gt;"


def test_article_page_byline_links_every_author_in_order(client, coauthored):
    page = get(client, coauthored.get_absolute_url())
    meta = page.split('class="article-meta__authors"', 1)[1].split("</span>", 1)[0]
    links = re.findall(r'<a href="(/auteur/[^"]+/)" rel="author">([^<]+)</a>', meta)
    assert links == [
        ("/auteur/anne/", "Anne Roux"),
        ("/auteur/chloe/", "Chloé Vidal"),
        ("/auteur/bruno/", "Bruno Petit"),
    ]
    assert re.search(r"Roux</a>, <a [^>]+>Chloé Vidal</a> (et|and) <a ", meta)
    # One author box each, with distinct ids for their labels.
    assert page.count('class="author-box"') == 3
    ids = re.findall(r'class="author-box__name" id="([^"]+)"', page)
    assert len(set(ids)) == 3


def test_list_pages_show_every_author(client, coauthored):
    home = get(client, reverse("blog:article_list"))
    assert "Chloé Vidal</a>" in home and "Bruno Petit</a>" in home


def test_json_ld_and_open_graph_name_every_author(client, coauthored):
    page = get(client, coauthored.get_absolute_url())
    posting = json.loads(re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)[0])
    assert [author["name"] for author in posting["author"]] == ["Anne Roux", "Chloé Vidal", "Bruno Petit"]
    assert posting["author"][1]["url"] == "http://blog.example.fr/auteur/chloe/"
    assert re.findall(r'<meta property="article:author" content="([^"]+)">', page) == [
        "http://blog.example.fr/auteur/anne/",
        "http://blog.example.fr/auteur/chloe/",
        "http://blog.example.fr/auteur/bruno/",
    ]


# Authors' pages and feeds ------------------------------------------------------------


def test_a_coauthors_page_lists_the_articles_they_cowrote(client, coauthored, people):
    own = ArticleFactory(title="Seule", author=people["chloe"])
    ArticleFactory(title="Brouillon partagé", author=people["anne"], draft=True).coauthors.add(
        people["chloe"]
    )
    page = get(client, reverse("blog:author_detail", kwargs={"username": "chloe"}))
    assert coauthored.title in page and own.title in page
    assert "Brouillon partagé" not in page
    assert page.count(coauthored.get_absolute_url() + '"') >= 1


def test_a_page_exists_for_someone_who_only_cowrote(client, coauthored):
    page = get(client, reverse("blog:author_detail", kwargs={"username": "bruno"}))
    assert coauthored.title in page


def test_an_article_with_several_coauthors_appears_once_on_their_pages(client, coauthored, people):
    page = main(get(client, reverse("blog:author_detail", kwargs={"username": "anne"})))
    assert page.count(">Écrit à trois</a>") == 1


def test_no_page_for_someone_who_only_cowrote_drafts(client, db, people):
    ArticleFactory(author=people["anne"], draft=True).coauthors.add(people["bruno"])
    get(client, reverse("blog:author_detail", kwargs={"username": "bruno"}), status=404)
    get(client, reverse("blog:author_feed_rss", kwargs={"username": "bruno"}), status=404)


@pytest.mark.parametrize("name", ["blog:author_feed_rss", "blog:author_feed_atom"])
def test_a_coauthors_feed_has_the_articles_they_cowrote(client, coauthored, name):
    feed = feedparser.parse(get(client, reverse(name, kwargs={"username": "bruno"})))
    assert [entry.title for entry in feed.entries] == ["Écrit à trois"]


def test_rss_items_name_every_author(client, coauthored):
    xml = get(client, reverse("blog:article_feed_rss"))
    assert re.findall(r"<dc:creator[^>]*>([^<]+)</dc:creator>", xml) == [
        "Anne Roux",
        "Chloé Vidal",
        "Bruno Petit",
    ]


def test_atom_entries_name_every_author(client, coauthored):
    feed = feedparser.parse(get(client, reverse("blog:article_feed_atom")))
    assert [author["name"] for author in feed.entries[0].authors] == [
        "Anne Roux",
        "Chloé Vidal",
        "Bruno Petit",
    ]


@pytest.mark.parametrize(
    "url",
    [
        reverse("blog:article_list"),
        reverse("blog:author_detail", kwargs={"username": "anne"}),
        reverse("blog:article_feed_rss"),
        reverse("blog:author_feed_atom", kwargs={"username": "anne"}),
    ],
)
def test_coauthors_cost_the_same_queries_whatever_the_number_of_articles(
    client, people, site, url, django_assert_max_num_queries
):
    category = CategoryFactory()
    start = timezone.now() - datetime.timedelta(days=30)

    def add(count):
        for i in range(count):
            article = ArticleFactory(
                author=people["anne"], category=category, published_at=start + datetime.timedelta(hours=i)
            )
            ArticleAuthor.objects.create(article=article, user=people["bruno"], position=1)
            ArticleAuthor.objects.create(article=article, user=people["chloe"], position=2)

    add(2)
    client.get(url)  # what every page reads once (the site's frame) is cached from here on
    add(1)
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Chloé Vidal" in client.get(url).content.decode()


# Caching ---------------------------------------------------------------------------


def test_adding_a_coauthor_purges_the_article_and_the_site(
    coauthored, people, django_capture_on_commit_callbacks
):
    before = versions(SITE, article_key(coauthored.pk))
    with django_capture_on_commit_callbacks(execute=True):
        coauthored.coauthors.add(UserFactory(), through_defaults={"position": 3})
    after = versions(SITE, article_key(coauthored.pk))
    assert all(after[key] > before[key] for key in before)


@pytest.mark.parametrize(
    "change", ["remove", "clear", "reverse_add", "reverse_clear", "row_delete", "row_save"]
)
def test_every_change_to_the_coauthors_purges(coauthored, people, change, django_capture_on_commit_callbacks):
    bruno = people["bruno"]
    before = versions(SITE)[SITE]
    with django_capture_on_commit_callbacks(execute=True):
        match change:
            case "remove":
                coauthored.coauthors.remove(bruno)
            case "clear":
                coauthored.coauthors.clear()
            case "reverse_add":
                bruno.coauthored_articles.add(ArticleFactory(author=people["anne"]))
            case "reverse_clear":
                bruno.coauthored_articles.clear()
            case "row_delete":
                ArticleAuthor.objects.get(article=coauthored, user=bruno).delete()
            case "row_save":
                link = ArticleAuthor.objects.get(article=coauthored, user=bruno)
                link.position = 0
                link.save()
    assert versions(SITE)[SITE] > before


def test_a_drafts_coauthors_purge_nothing(db, people, django_capture_on_commit_callbacks):
    draft = ArticleFactory(author=people["anne"], draft=True)
    before = versions(SITE)[SITE]
    with django_capture_on_commit_callbacks(execute=True):
        draft.coauthors.add(people["bruno"])
        ArticleAuthor.objects.filter(article=draft).update(position=4)
        ArticleAuthor.objects.get(article=draft).save()
    assert versions(SITE)[SITE] == before


def test_a_coauthors_cached_page_shows_an_article_they_were_added_to(
    client, coauthored, people, django_capture_on_commit_callbacks
):
    url = reverse("blog:author_detail", kwargs={"username": "bruno"})
    other = ArticleFactory(title="Un autre sujet", author=people["anne"])
    assert "Un autre sujet" not in main(get(client, url))
    assert "Un autre sujet" not in main(get(client, url))  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        other.coauthors.add(people["bruno"], through_defaults={"position": 1})
    assert "Un autre sujet" in main(get(client, url))


def test_a_coauthors_new_name_shows_on_the_article(
    client, coauthored, people, django_capture_on_commit_callbacks
):
    assert "Bruno Petit" in get(client, coauthored.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        bruno = people["bruno"]
        bruno.profile.display_name = "Bruno P."
        bruno.profile.save()
    assert "Bruno P.<" in get(client, coauthored.get_absolute_url())


# Admin ------------------------------------------------------------------------------


def coauthor_rows(*rows, initial=0):
    data = {
        "coauthor_links-TOTAL_FORMS": str(len(rows)),
        "coauthor_links-INITIAL_FORMS": str(initial),
        "coauthor_links-MIN_NUM_FORMS": "0",
        "coauthor_links-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"coauthor_links-{index}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def editor(db):
    from tests.factories import EditorUserFactory

    return EditorUserFactory(username="editrice")


def article_form(author, **extra):
    return {
        "title": "Écrit à plusieurs",
        "slug": "ecrit-a-plusieurs",
        "excerpt": "",
        "body": "<p>Le texte.</p>",
        "category": "",
        "new_tags": "",
        "status": "draft",
        "author": str(author.pk),
        "comments_enabled": "on",
        "seo_description": "",
        "further_reading-TOTAL_FORMS": "0",
        "further_reading-INITIAL_FORMS": "0",
        "further_reading-MIN_NUM_FORMS": "0",
        "further_reading-MAX_NUM_FORMS": "1000",
        **extra,
    }


def test_editor_adds_coauthors_in_order(client, editor, people):
    client.force_login(editor)
    data = article_form(
        people["anne"],
        **coauthor_rows(
            {"user": people["chloe"].pk, "position": 2}, {"user": people["bruno"].pk, "position": 1}
        ),
    )
    response = client.post(reverse("admin:blog_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get(slug="ecrit-a-plusieurs")
    assert names(article.author_list) == ["anne", "bruno", "chloe"]
    # The version records them, in order.
    revision = ArticleRevision.objects.filter(article=article).latest("pk")
    assert [person["name"] for person in revision.data["coauthors"]] == ["bruno", "chloe"]


def test_the_author_cannot_also_be_a_coauthor(client, editor, people):
    client.force_login(editor)
    data = article_form(people["anne"], **coauthor_rows({"user": people["anne"].pk, "position": 1}))
    response = client.post(reverse("admin:blog_article_add"), data)
    assert response.status_code == 200
    assert "already the article" in response.content.decode() or "déjà" in response.content.decode()
    assert not Article.objects.filter(slug="ecrit-a-plusieurs").exists()


def test_the_same_coauthor_twice_is_refused(client, editor, people):
    client.force_login(editor)
    row = {"user": people["bruno"].pk, "position": 1}
    response = client.post(
        reverse("admin:blog_article_add"), article_form(people["anne"], **coauthor_rows(row, row))
    )
    assert response.status_code == 200
    assert not Article.objects.filter(slug="ecrit-a-plusieurs").exists()


def test_a_form_without_its_coauthor_rows_is_refused_and_changes_nothing(client, editor, coauthored):
    client.force_login(editor)
    data = article_form(coauthored.author, status="published", published_at_0="", published_at_1="")
    data = {key: value for key, value in data.items() if not key.startswith("coauthor_links-")}
    data.update(title="Nouveau titre", slug=coauthored.slug)
    response = client.post(reverse("admin:blog_article_change", args=[coauthored.pk]), data)
    assert response.status_code == 200  # the form again, with Django's message about the missing rows
    article = Article.objects.get(pk=coauthored.pk)
    assert article.title != "Nouveau titre"
    assert names(article.author_list) == ["anne", "chloe", "bruno"]


def test_editor_changes_and_removes_coauthors(client, editor, coauthored, people):
    client.force_login(editor)
    links = {link.user_id: link.pk for link in ArticleAuthor.objects.filter(article=coauthored)}
    rows = coauthor_rows(
        {"id": links[people["chloe"].pk], "article": coauthored.pk, "user": people["chloe"].pk,
         "position": 5},
        {"id": links[people["bruno"].pk], "article": coauthored.pk, "user": people["bruno"].pk,
         "position": 2, "DELETE": "on"},
        {"user": UserFactory(username="david", is_staff=True).pk, "position": 1},
        initial=2,
    )  # fmt: skip
    data = article_form(coauthored.author, status="published", **rows)
    data.update(title=coauthored.title, slug=coauthored.slug)
    response = client.post(reverse("admin:blog_article_change", args=[coauthored.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert names(Article.objects.get(pk=coauthored.pk).author_list) == ["anne", "david", "chloe"]


def test_authors_see_the_coauthors_but_cannot_change_them(db, people):
    from django.test import Client

    from tests.factories import AuthorUserFactory

    writer = AuthorUserFactory(username="autrice")
    draft = ArticleFactory(author=writer, draft=True, title="Mon brouillon")
    ArticleAuthor.objects.create(article=draft, user=people["bruno"], position=1)
    client = Client()
    client.force_login(writer)
    page = get(client, reverse("admin:blog_article_change", args=[draft.pk]))
    assert "Bruno Petit" in page
    assert 'name="coauthor_links-0-user"' not in page
    data = article_form(writer, **coauthor_rows({"user": people["chloe"].pk, "position": 1}))
    data.update(title="Mon brouillon", slug=draft.slug)
    client.post(reverse("admin:blog_article_change", args=[draft.pk]), data)
    assert names(Article.objects.get(pk=draft.pk).author_list) == ["autrice", "bruno"]


def test_the_changelist_names_every_author(client, editor, coauthored):
    client.force_login(editor)
    page = get(client, reverse("admin:blog_article_changelist"))
    assert "Anne Roux, Chloé Vidal, Bruno Petit" in page


def test_the_changelist_reads_coauthors_once_for_the_page(
    client, editor, people, django_assert_max_num_queries
):
    client.force_login(editor)

    def add(count):
        for _ in range(count):
            ArticleFactory(author=people["anne"]).coauthors.add(people["bruno"], people["chloe"])

    add(2)
    with django_assert_max_num_queries(100) as few:
        client.get(reverse("admin:blog_article_changelist"))
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = get(client, reverse("admin:blog_article_changelist"))
    assert page.count("Anne Roux, Bruno Petit, Chloé Vidal") == 17


def test_the_article_form_shows_the_coauthors_in_order(client, editor, coauthored):
    client.force_login(editor)
    page = get(client, reverse("admin:blog_article_change", args=[coauthored.pk]))
    chosen = re.findall(
        r'name="coauthor_links-(\d)-user".*?<option value="(\d+)" selected>', page, flags=re.S
    )
    assert [int(pk) for _index, pk in chosen] == [
        user.pk for user in Article.objects.get(pk=coauthored.pk).author_list[1:]
    ]


def test_comparing_versions_shows_the_changed_coauthors(coauthored, people):
    from editorial.revisions import article_snapshot, snapshot_diff

    before = article_snapshot(coauthored)
    coauthored.coauthors.remove(people["bruno"])
    changes = snapshot_diff(before, article_snapshot(coauthored))
    assert [(change["name"], change["lines"]) for change in changes] == [
        ("coauthors", [("context", "chloe"), ("removed", "bruno")])
    ]
