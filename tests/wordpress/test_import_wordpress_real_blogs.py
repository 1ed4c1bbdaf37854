"""What real WordPress blogs hold, imported without losing it: players, shortcodes,
teasers, galleries, several categories, comments, odd addresses, old export formats."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.management import CommandError, call_command
from django.utils import translation
from django_comments_xtd.models import XtdComment
from taggit.models import Tag

from blog.models import Article, Category
from editorial.models import ArticleRevision
from wordpress.models import ImportedItem

from .wxr import BASE, comment, item, tag, wxr


def run(path, *args, **options):
    out = StringIO()
    with translation.override("en"):
        call_command("import_wordpress", str(path), *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def body_of(title):
    return Article.objects.get(title=title).body


def links(html):
    return re.findall(r'<p><a href="([^"]+)"[^>]*>\1</a></p>', html)


# Embedded players ---------------------------------------------------------------

# Embed codes as WordPress blogs hold them (lines too long for the code).
PLAYERS = (Path(__file__).parent / "data" / "players.html").read_text(encoding="utf-8")


def test_embedded_players_become_links_to_the_video(db, write_wxr):
    output = run(write_wxr(wxr(item(1, "Vidéos", content=PLAYERS))))
    body = body_of("Vidéos")
    assert links(body) == [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.dailymotion.com/video/x7tgad0",
        "https://vimeo.com/76979871",
        "https://www.arte.tv/fr/videos/077346-000-A/",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "http://ancien-blog.example.com/wp-content/uploads/2015/03/film.mp4",
        "http://ancien-blog.example.com/wp-content/uploads/2015/03/son.mp3",
        "https://maps.example.org/embed?pb=1",
    ]
    assert "<p>Regardez :</p>" in body and "<p>Fin.</p>" in body
    assert "<p></p>" not in body
    assert "YouTube players (<iframe>) → links to the video: 1" in output
    assert "YouTube players (<embed>) → links to the video: 1" in output
    assert "Dailymotion players (<object>) → links to the video: 1" in output
    assert "Vimeo players (<iframe>) → links to the video: 1" in output
    assert "arte.tv players (<iframe>) → links to the video: 1" in output
    assert "<video> → links to the file: 1" in output
    assert "<audio> → links to the file: 1" in output
    assert "other players (<iframe>) → links to the player: 1" in output
    assert "<iframe> without an address: removed: 1" in output


def test_players_in_block_editor_content(db, write_wxr):
    content = (
        '<!-- wp:html --><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>'
        "<!-- /wp:html -->\n<!-- wp:paragraph --><p>Texte</p><!-- /wp:paragraph -->"
    )
    run(write_wxr(wxr(item(1, "Bloc", content=content))))
    assert links(body_of("Bloc")) == ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"]


# Shortcodes ----------------------------------------------------------------------

SHORTCODES = """[youtube dQw4w9WgXcQ]

[youtube https://www.youtube.com/watch?v=aqz-KE-bpKQ]

[youtube=http://www.youtube.com/watch?v=9bZkp7q19f0&amp;w=640&amp;h=390]

[dailymotion x7tgad0]

[dailymotion id=x2bjdbj]

[vimeo 76979871]

[vimeo https://vimeo.com/22439234]

[audio http://ancien-blog.example.com/son.mp3]

[audio mp3="http://ancien-blog.example.com/autre.mp3"][/audio]

[video width="640" mp4="http://ancien-blog.example.com/film.mp4"][/video]

[embed]https://youtu.be/dQw4w9WgXcQ[/embed]

[contact-form-7 id="12" title="Contact"]

[toc] et [toc]"""


def test_plugin_shortcodes_become_links_and_unknown_ones_are_listed(db, write_wxr):
    output = run(write_wxr(wxr(item(1, "Codes", content=SHORTCODES))))
    body = body_of("Codes")
    assert links(body) == [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
        "https://www.youtube.com/watch?v=9bZkp7q19f0",
        "https://www.dailymotion.com/video/x7tgad0",
        "https://www.dailymotion.com/video/x2bjdbj",
        "https://vimeo.com/76979871",
        "https://vimeo.com/22439234",
        "http://ancien-blog.example.com/son.mp3",
        "http://ancien-blog.example.com/autre.mp3",
        "http://ancien-blog.example.com/film.mp4",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    ]
    assert '[contact-form-7 id="12" title="Contact"]' in body
    assert "[youtube shortcodes → links: 3" in output.replace("]", "")
    assert "[audio] shortcodes → links: 2" in output
    assert "[embed] shortcodes → links: 1" in output
    assert "Shortcodes left as text (not understood here):" in output
    assert "[toc]: 2" in output
    assert "[contact-form-7]: 1" in output


# <!--more--> and empty paragraphs ------------------------------------------------


def test_text_before_more_becomes_the_excerpt(db, write_wxr):
    content = "Le <strong>début</strong> de l’histoire.\n<!--more-->\n<p></p>\nLa suite.\n\n<p>&nbsp;</p>"
    output = run(write_wxr(wxr(
        item(1, "Teaser", content=content),
        item(2, "Avec extrait", content="Avant <!--more Lire la suite--> après", excerpt="Le mien"),
    )))  # fmt: skip
    teaser = Article.objects.get(title="Teaser")
    assert teaser.excerpt == "Le début de l’histoire."
    assert "more" not in teaser.body
    assert "<p></p>" not in teaser.body and "&nbsp;" not in teaser.body
    assert "La suite." in teaser.body
    own = Article.objects.get(title="Avec extrait")
    assert own.excerpt == "Le mien"
    assert "more" not in own.body
    assert "text before <!--more--> → excerpt: 1" in output
    assert "<!--more--> markers removed (the post has its own excerpt): 1" in output


def test_no_empty_paragraph_is_left_anywhere(db, write_wxr):
    content = '<p></p>\n\n<p class="x"> </p>Texte<p><br></p>\n\n[gallery ids="5"]\n\n<p>\n</p>'
    run(write_wxr(wxr(item(1, "Vide", content=content))))
    assert not re.search(r"<p[^>]*>\s*</p>", body_of("Vide"))


# Galleries -----------------------------------------------------------------------


def test_gallery_whose_images_are_missing_keeps_a_note_and_links(db, write_wxr):
    pdf = item(
        50, "Programme", post_type="attachment", status="inherit",
        attachment_url=f"{BASE}/wp-content/uploads/2015/03/programme.pdf",
    )  # fmt: skip
    output = run(write_wxr(wxr(
        pdf,
        item(1, "Galerie", content='Photos :\n\n[gallery ids="50,51,52"]'),
        item(2, "Seule galerie", content="[gallery]"),
    )))  # fmt: skip
    body = body_of("Galerie")
    assert f'<a href="{BASE}/wp-content/uploads/2015/03/programme.pdf"' in body
    assert "Gallery: 2 images were not in the WordPress export (ids 51, 52)" in body
    alone = body_of("Seule galerie")
    assert "Gallery: none of its images is in the WordPress export" in alone
    assert "To check:" in output
    assert "Post 1 “Galerie”: Gallery: 2 images were not in the WordPress export (ids 51, 52)" in output
    assert "Post 2 “Seule galerie”: Gallery: none of its images is in the WordPress export" in output
    assert "gallery items that are not images → links: 1" in output


def test_empty_post_is_reported(db, write_wxr):
    output = run(write_wxr(wxr(item(1, "Rien", content="<!-- wp:latest-posts /-->"))))
    assert "Post 1 “Rien”: the body is empty" in output
    assert "imported with an empty body: 1" in output


# Categories ----------------------------------------------------------------------


def test_every_category_is_kept_the_others_as_keywords(db, write_wxr):
    output = run(write_wxr(wxr(item(
        1, "Deux catégories",
        categories=[("voyages", "Voyages"), ("cuisine", "Cuisine du monde")],
        tags=[("paris", "Paris")],
    ))))  # fmt: skip
    article = Article.objects.get()
    assert article.category.slug == "voyages"
    assert Category.objects.filter(slug="cuisine", name="Cuisine du monde").exists()
    assert sorted(article.tags.names()) == ["Cuisine du monde", "Paris"]
    assert (
        "in several categories: the first is the article's category, the others are added as keywords: 1"
    ) in output
    assert "second and further categories → keywords: 1" in output


# Comments ------------------------------------------------------------------------


def test_comments_on_pages_are_counted_page_by_page(db, write_wxr):
    page = item(
        201, "Contact", slug="contact", post_type="page", link=f"{BASE}/contact/",
        content="Écrivez-moi.", comments=[comment(1, "Bonjour"), comment(2, "Merci")],
    )  # fmt: skip
    output = run(write_wxr(wxr(page)))
    assert XtdComment.objects.count() == 0
    assert "on static pages, which cannot have comments: 2" in output
    assert "Page /contact/ “Contact”: 2 comments not imported (static pages cannot have comments)" in output


def test_links_in_comments_are_kept_as_text(db, write_wxr, thread_levels):
    thread_levels(3)
    text = (
        'Voir <a href="http://exemple.org/article" rel="nofollow">cet article</a> et '
        '<a href="https://autre.example/">https://autre.example/</a>.<br />Merci'
    )
    output = run(write_wxr(wxr(item(1, "Un", comments=[comment(1, text)]))))
    assert XtdComment.objects.get().comment == (
        "Voir cet article (http://exemple.org/article) et https://autre.example/.\nMerci"
    )
    assert "links in comments kept as text: 2" in output


def test_replies_within_the_allowed_depth_keep_their_parent(db, write_wxr, thread_levels):
    thread_levels(3)
    path = write_wxr(wxr(item(1, "Un", comments=[
        comment(1, "0", date_gmt="2015-03-02 09:00:00"),
        comment(2, "1", parent=1, date_gmt="2015-03-02 10:00:00"),
        comment(3, "2", parent=2, date_gmt="2015-03-02 11:00:00"),
        comment(4, "3", parent=3, date_gmt="2015-03-02 12:00:00"),
        comment(5, "4", parent=4, date_gmt="2015-03-02 13:00:00"),
    ])))  # fmt: skip
    output = run(path)
    by_text = {c.comment: c for c in XtdComment.objects.all()}
    assert by_text["3"].parent_id == by_text["2"].pk and by_text["3"].level == 3
    # The comment engine refuses a fifth level (its save() raises): attached one level up.
    assert by_text["4"].parent_id == by_text["2"].pk
    assert "COMMENTS_MAX_THREAD_LEVEL = 3, the export goes 4 levels deep" in output


# Addresses -----------------------------------------------------------------------


def test_accented_page_address_gets_no_redirect_to_itself(db, write_wxr, client):
    page = item(
        201, "Été", slug="%c3%a9t%c3%a9", post_type="page",
        link=f"{BASE}/%c3%a9t%c3%a9/", content="Chaud.",
    )  # fmt: skip
    path = write_wxr(wxr(page))
    # What an earlier import left behind: a redirect from the address to itself.
    Redirect.objects.create(site=Site.objects.get_current(), old_path="/%C3%A9t%C3%A9/", new_path="/été/")
    output = run(path)
    assert FlatPage.objects.exclude(url="/confidentialite/").get().url == "/été/"
    assert not Redirect.objects.exists()
    assert "removed: they pointed to their own address: 1" in output
    response = client.get("/%C3%A9t%C3%A9/")
    assert response.status_code == 200


def test_double_slashes_in_addresses_are_normalised(db, write_wxr, client):
    page = item(
        202, "Sœur", slug="soeur", post_type="page", link=f"{BASE}//famille//soeur/", content="Texte.",
    )  # fmt: skip
    run(write_wxr(wxr(page)))
    assert FlatPage.objects.exclude(url="/confidentialite/").get().url == "/famille/soeur/"
    assert client.get("/famille/soeur/").status_code == 200
    assert not Redirect.objects.filter(old_path__contains="//").exists()


# Re-importing --------------------------------------------------------------------


def test_reimporting_an_unchanged_file_writes_no_revision(db, write_wxr, thread_levels):
    thread_levels(3)
    path = write_wxr(wxr(item(
        1, "Riche", content=PLAYERS + "\n\n" + SHORTCODES + '\n\n[gallery ids="9"]<!--more-->La suite',
        categories=[("a", "A"), ("b", "B")], tags=[("t", "T")],
        comments=[comment(1, '<a href="http://x.example/">lien</a>')],
    )))  # fmt: skip
    run(path)
    body = Article.objects.get().body
    run(path)
    assert Article.objects.get().body == body
    assert ArticleRevision.objects.count() == 1


def test_post_without_a_date_keeps_its_first_date(db, write_wxr):
    path = write_wxr(wxr(item(1, "Sans date", date="0000-00-00 00:00:00", date_gmt="0000-00-00 00:00:00")))
    output = run(path)
    first = Article.objects.get()
    assert "no date in the export: dated at their first import: 1" in output
    run(path)
    again = Article.objects.get()
    assert again.published_at == first.published_at
    assert again.get_absolute_url() == first.get_absolute_url()


# Export formats and identity -----------------------------------------------------


def wxr_1_0(*parts):
    """A WXR 1.0 file: item categories by name only, tags with ``domain="tag"``."""
    return wxr(*parts, version="1.0")


def test_wxr_1_0_categories_without_domain_and_tags(db, write_wxr):
    first = item(1, "Premier", categories=[("", "Voyages")]).replace(
        '<category domain="category" nicename="">', "<category>"
    )
    second = (
        item(2, "Second", categories=[("", "Cuisine")], tags=[("", "Été")])
        .replace('<category domain="category" nicename="">', "<category>")
        .replace('<category domain="post_tag" nicename="">', '<category domain="tag">')
    )
    run(write_wxr(wxr_1_0(first, second)))
    assert Article.objects.get(title="Premier").category.name == "Voyages"
    assert Article.objects.get(title="Second").category.name == "Cuisine"
    assert list(Article.objects.get(title="Second").tags.names()) == ["Été"]


def test_items_sharing_an_id_are_both_imported(db, write_wxr):
    text = wxr(item(7, "Un"), item(7, "Deux", slug="deux").replace(f"{BASE}/?p=7", f"{BASE}/?p=7b"))
    path = write_wxr(text)
    output = run(path)
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Deux", "Un"]
    assert "WordPress ID shared with another item: imported separately: 1" in output
    run(path)
    assert Article.objects.count() == 2


def test_item_repeated_identically_is_imported_once(db, write_wxr):
    output = run(write_wxr(wxr(item(7, "Un"), item(7, "Un"))))
    assert Article.objects.count() == 1
    assert "found twice in the file (the same item): 1" in output


def anonymous_export(*parts, title="Blog A"):
    """An export with no <link> and no base_site_url (as some tools write them)."""
    text = wxr(*parts, base="")
    return text.replace("<title>Ancien blog</title>", f"<title>{title}</title>", 1)


def test_files_without_an_address_are_told_apart(db, write_wxr):
    run(write_wxr(anonymous_export(item(1, "Du blog A"), title="Blog A"), name="a.xml"))
    run(write_wxr(anonymous_export(item(1, "Du blog B"), title="Blog B"), name="b.xml"))
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Du blog A", "Du blog B"]


def test_source_option_names_the_site(db, write_wxr):
    text = anonymous_export(item(1, "Un"), title="")
    path = write_wxr(text)
    with pytest.raises(CommandError, match="--source"):
        run(path)
    output = run(path, source="mon-ancien-blog")
    assert "source: mon-ancien-blog" in output
    assert ImportedItem.objects.filter(source="mon-ancien-blog", kind="post", wp_id="1").exists()


def test_network_sites_sharing_a_base_site_url_are_told_apart(db, write_wxr):
    for name in ("un", "deux"):
        text = wxr(item(1, f"Blog {name}"), base=f"https://{name}.wordpress.example")
        text = text.replace(
            f"<wp:base_site_url>https://{name}.wordpress.example</wp:base_site_url>",
            "<wp:base_site_url>http://wordpress.example/</wp:base_site_url>",
        )
        run(write_wxr(text, name=f"{name}.xml"))
    assert Article.objects.count() == 2


# Block editor and other conversions ------------------------------------------------


def test_h1_nextpage_and_dynamic_blocks(db, write_wxr):
    classic = "<h1>Grand titre</h1>\nPage un.\n<!--nextpage-->\nPage deux.\n<!--nextpage-->\nPage trois."
    blocks = (
        "<!-- wp:paragraph --><p>Texte</p><!-- /wp:paragraph -->\n"
        '<!-- wp:latest-posts {"postsToShow":5} /-->\n<!-- wp:archives /-->\n'
        '<!-- wp:query {"queryId":1} --><div class="wp-block-query"><!-- wp:post-title /--></div>'
        "<!-- /wp:query -->"
    )
    output = run(write_wxr(wxr(item(1, "Pages", content=classic), item(2, "Blocs", content=blocks))))
    body = body_of("Pages")
    assert "<h2>Grand titre</h2>" in body and "<h1" not in body
    assert body.count("<hr>") == 2
    assert body_of("Blocs") == "<p>Texte</p>"
    assert "<h1> headings → <h2>: 1" in output
    assert "<!--nextpage--> page breaks → horizontal rules: 2" in output
    assert "block editor blocks filled in by WordPress when shown (latest-posts): skipped: 1" in output
    assert "block editor blocks filled in by WordPress when shown (archives): skipped: 1" in output
    assert "block editor blocks filled in by WordPress when shown (query): skipped: 1" in output


def test_tags_with_the_same_name_are_reported(db, write_wxr):
    output = run(write_wxr(wxr(
        tag("python", "Python", term_id=1),
        tag("python-2", "python", term_id=2),
        item(1, "Un", tags=[("python", "Python")]),
        item(2, "Deux", tags=[("python-2", "python")]),
    )))  # fmt: skip
    assert Tag.objects.count() == 1
    assert (
        "“Python”: WordPress tags python, python-2 have the same name, merged into one keyword: 1" in output
    )


def test_broken_addresses_do_not_stop_the_import(db, write_wxr, thread_levels):
    thread_levels(3)
    content = (
        '<iframe src="http://[::1"></iframe>\n\n[youtube http://[x]\n\n[embed]http://[y[/embed]\n\n'
        "[[youtube dQw4w9WgXcQ]]"
    )
    output = run(write_wxr(wxr(item(
        1, "Cassé", content=content, link="http://[z/2015/casse/",
        comments=[comment(1, '<a href="http://[w">lien</a>', url="http://[v")],
    ))))  # fmt: skip
    body = body_of("Cassé")
    assert "[youtube dQw4w9WgXcQ]" in body and "watch?v=" not in body
    assert "<iframe> without an address: removed: 1" in output
    assert XtdComment.objects.get().comment == "lien"
    assert XtdComment.objects.get().user_url == ""


def test_attribute_order_is_not_a_change(db, write_wxr):
    # The sanitiser may order an image's attributes differently in another process.
    path = write_wxr(wxr(item(1, "Image", content=f'<img src="{BASE}/a.jpg" alt="A">')))
    run(path)
    body = Article.objects.get().body
    swapped = (
        body.replace('loading="lazy"', "@1")
        .replace('decoding="async"', 'loading="lazy"')
        .replace("@1", 'decoding="async"')
    )
    assert swapped != body
    Article.objects.update(body=swapped)
    run(path)
    assert ArticleRevision.objects.count() == 1


def test_site_imported_under_its_former_identity_is_still_recognised(db, write_wxr):
    # Earlier versions named a site by its base_site_url (here the WordPress folder),
    # now by the blog's address: what they imported is updated, not duplicated.
    text = wxr(item(1, "Un")).replace(
        f"<wp:base_site_url>{BASE}</wp:base_site_url>", f"<wp:base_site_url>{BASE}/wp</wp:base_site_url>"
    )
    path = write_wxr(text)
    run(path, source="ancien-blog.example.com/wp")
    output = run(path)
    assert Article.objects.count() == 1
    assert "source: ancien-blog.example.com/wp" in output
