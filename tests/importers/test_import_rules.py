"""The rules every format shares (see importers/service.py), shown through small generated files."""

import pytest
from django.contrib.redirects.models import Redirect
from django_comments_xtd.models import XtdComment

from blog.models import Article

BLOG = "tag:blogger.com,1999:blog-55"
KIND = "http://schemas.google.com/blogger/2008/kind#"


def blogger(*entries):
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'>"
        f"<id>{BLOG}</id><link rel='alternate' href='http://regles.blogspot.com/'/>"
        + "".join(entries)
        + "</feed>"
    )


def post(number, title, link="", published="2016-03-01T10:00:00Z"):
    alternate = f"<link rel='alternate' type='text/html' href='{link}'/>" if link else ""
    return (
        f"<entry><id>{BLOG}.post-{number}</id><published>{published}</published>"
        f"<category scheme='http://schemas.google.com/g/2005#kind' term='{KIND}post'/>"
        f"<title>{title}</title><content type='html'>&lt;p&gt;Texte de {title}&lt;/p&gt;</content>"
        f"{alternate}<author><name>Marie</name></author></entry>"
    )


def comment(number, post_number, text, parent=None, minute=0):
    related = (
        f"<link rel='related' href='http://www.blogger.com/feeds/55/{post_number}/comments/default/{parent}'/>"
        if parent
        else ""
    )
    return (
        f"<entry><id>{BLOG}.post-{number}</id><published>2016-03-02T10:{minute:02d}:00Z</published>"
        f"<category scheme='http://schemas.google.com/g/2005#kind' term='{KIND}comment'/>"
        f"<content type='html'>{text}</content>{related}<author><name>Lecteur {number}</name></author>"
        f"<thr:in-reply-to ref='{BLOG}.post-{post_number}'/></entry>"
    )


@pytest.fixture
def write_atom(write_file):
    return lambda *entries: write_file(blogger(*entries), name="blog.atom")


def test_replies_deeper_than_the_site_allows_go_under_the_deepest_allowed_ancestor(
    db, run_import, write_atom, thread_levels
):
    thread_levels(1)
    out = run_import(
        "import_blogger",
        write_atom(
            post(1, "Fil"),
            # Replies listed before what they answer, as exports sometimes have them.
            comment(14, 1, "quatre", parent=13, minute=4),
            comment(13, 1, "trois", parent=12, minute=3),
            comment(12, 1, "deux", parent=11, minute=2),
            comment(11, 1, "un", minute=1),
        ),
    )
    by_text = {c.comment: c for c in XtdComment.objects.all()}
    assert by_text["un"].level == 0
    assert by_text["deux"].parent_id == by_text["un"].pk
    assert by_text["trois"].parent_id == by_text["un"].pk
    assert by_text["quatre"].parent_id == by_text["un"].pk
    assert "replies deeper than the site allows" in out


def test_a_loop_of_replies_does_not_stop_the_import(db, run_import, write_atom):
    run_import(
        "import_blogger",
        write_atom(
            post(1, "Boucle"), comment(21, 1, "a", parent=22), comment(22, 1, "b", parent=21, minute=1)
        ),
    )
    assert XtdComment.objects.count() == 2


def test_never_a_redirect_to_the_same_address(db, run_import, write_atom, client):
    run_import("import_blogger", write_atom(post(1, "Même adresse")))
    article = Article.objects.get()
    same = f"http://regles.blogspot.com{article.get_absolute_url()}"
    run_import("import_blogger", write_atom(post(1, "Même adresse", link=same)))
    assert Redirect.objects.count() == 0
    assert client.get(article.get_absolute_url()).status_code == 200


def test_two_posts_of_the_same_title_on_the_same_day_get_their_own_addresses(db, run_import, write_atom):
    run_import("import_blogger", write_atom(post(1, "Bonjour"), post(2, "Bonjour")))
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs == ["bonjour", "bonjour-2"]


def test_comments_of_a_post_that_is_not_in_the_file_are_left_out(db, run_import, write_atom):
    run_import("import_blogger", write_atom(post(1, "Seul"), comment(31, 999, "orphelin")))
    assert XtdComment.objects.count() == 0


def test_an_empty_comment_and_a_hostile_one(db, run_import, write_atom):
    run_import(
        "import_blogger",
        write_atom(
            post(1, "Propre"),
            comment(41, 1, "&lt;p&gt; &lt;/p&gt;"),
            comment(
                42,
                1,
                "&lt;script&gt;alert(1)&lt;/script&gt;Bonjour &lt;a href='javascript:x'&gt;ici&lt;/a&gt;",
                minute=1,
            ),
        ),
    )
    (kept,) = XtdComment.objects.all()
    assert "<" not in kept.comment and "javascript" not in kept.comment
    assert "Bonjour" in kept.comment
