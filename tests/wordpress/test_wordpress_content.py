"""WordPress text turned into the blog's: paragraphs, entities, shortcodes."""

import tracemalloc
from io import StringIO

from django.core.management import call_command
from django.utils import translation
from django.utils.html import strip_tags

from blog.models import Article
from wordpress.content import BodyNotes, convert_body, plain_text, shortcode_attributes, wpautop
from wordpress.importer import Attachment
from wordpress.reader import Item, WXRReader

from .wxr import cdata, item, wxr


def test_blank_lines_make_paragraphs_and_newlines_breaks():
    assert wpautop("Un\ndeux\n\nTrois") == "<p>Un<br />\ndeux</p>\n<p>Trois</p>"


def test_block_elements_are_not_wrapped():
    html = wpautop("Intro\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<h2>Titre</h2>\nFin")
    assert "<p><ul>" not in html and "<p><h2>" not in html
    assert "<p>Intro</p>" in html and "<p>Fin</p>" in html
    assert "<li>a</li>" in html


def test_pre_keeps_its_newlines():
    html = wpautop("Avant\n\n<pre>ligne 1\n\nligne 2</pre>\n\nAprès")
    assert "<pre>ligne 1\n\nligne 2</pre>" in html


def test_blockquote_text_gets_a_paragraph():
    assert wpautop("<blockquote>Citation</blockquote>") == "<blockquote><p>Citation</p></blockquote>"


def test_block_editor_content_is_left_as_is():
    body = "<!-- wp:paragraph -->\n<p>Un\ndeux</p>\n<!-- /wp:paragraph -->"
    assert convert_body(body) == "<p>Un\ndeux</p>"


def test_entities_in_bodies_are_decoded_once():
    body = convert_body("5 &gt; 3 &amp;&amp; 2 &lt; 4, caf&eacute; &#8211; &lt;script&gt;")
    text = strip_tags(body)
    assert "gt;" not in text.replace("&gt;", "")
    assert body == "<p>5 &gt; 3 &amp;&amp; 2 &lt; 4, café – &lt;script&gt;</p>"


def test_plain_text_fields_are_decoded_once():
    assert plain_text("Tom &amp;amp; Jerry") == "Tom &amp; Jerry"
    assert plain_text("L&#8217;&eacute;t&eacute; <b>chaud</b>") == "L’été chaud"


def test_title_entities_through_a_whole_import(db, write_wxr):
    path = write_wxr(
        wxr(item(1, "", raw_title="Questions &amp;amp; r&amp;#233;ponses &amp;#8211; 5 &amp;gt; 3"))
    )
    call_command("import_wordpress", str(path), stdout=StringIO())
    assert Article.objects.get().title == "Questions & réponses – 5 > 3"


def test_content_in_cdata_keeps_its_entities(db, write_wxr):
    content = "<p>Le code &lt;br&gt; &amp; l&#8217;entité</p>"
    text = wxr(item(1, "Un", content=content)).replace(
        cdata(content), content.replace("&", "&amp;").replace("<", "&lt;")
    )
    call_command("import_wordpress", str(write_wxr(text)), stdout=StringIO())
    assert Article.objects.get().body == "<p>Le code &lt;br&gt; &amp; l’entité</p>"


def test_scripts_are_removed():
    body = convert_body(
        '<p onclick="x()">Texte</p><script>alert(1)</script><a href="javascript:x()">lien</a>'
    )
    assert "script" not in body and "onclick" not in body and "javascript" not in body


def test_caption_becomes_a_figure():
    body = convert_body(
        '[caption id="attachment_5" align="aligncenter" width="300"]'
        '<img src="https://example.org/a.jpg" alt="A" width="300"> Une légende[/caption]'
    )
    # The sanitiser adds loading/decoding to every image, in no fixed order.
    assert ' loading="lazy"' in body and ' decoding="async"' in body
    assert body.replace(' loading="lazy"', "").replace(' decoding="async"', "") == (
        '<figure class="wp-caption aligncenter"><img src="https://example.org/a.jpg" alt="A" width="300">'
        "<figcaption>Une légende</figcaption></figure>"
    )


def test_old_style_caption_attribute():
    body = convert_body('[caption caption="Vieille légende"]<img src="https://example.org/a.jpg">[/caption]')
    assert "<figcaption>Vieille légende</figcaption>" in body


def test_caption_without_image_keeps_its_text():
    assert convert_body("[caption]juste du texte[/caption]") == "<p>juste du texte</p>"


def test_embeds_become_links():
    body = convert_body(
        '[embed]https://www.youtube.com/watch?v=x[/embed]\n\nhttps://vimeo.com/1\n\n[video mp4="https://e.org/v.mp4"][/video]'
    )
    assert '<a href="https://www.youtube.com/watch?v=x" rel="noopener noreferrer">' in body
    assert '<a href="https://vimeo.com/1" rel="noopener noreferrer">' in body
    assert '<a href="https://e.org/v.mp4" rel="noopener noreferrer">' in body
    assert "[embed]" not in body and "<iframe" not in body


def test_gallery_of_a_posts_attachments():
    attachments = {
        "7": Attachment(wp_id="7", url="https://e.org/b.jpg", path="b.jpg", parent="1", menu_order=2),
        "6": Attachment(
            wp_id="6", url="https://e.org/a.jpg", path="a.jpg", parent="1", menu_order=1, caption="A"
        ),
        "8": Attachment(wp_id="8", url="https://e.org/c.jpg", path="c.jpg", parent="2"),
    }
    body = convert_body("[gallery]", attachments=attachments, post_id="1")
    assert body.index("a.jpg") < body.index("b.jpg")
    assert "c.jpg" not in body
    assert "<figcaption>A</figcaption>" in body


def test_gallery_with_nothing_known_leaves_a_visible_note():
    notes = BodyNotes()
    with translation.override("en"):
        body = convert_body('Avant\n\n[gallery ids="1,2"]', notes=notes)
    assert body == (
        "<p>Avant</p>\n"
        '<p class="wordpress-note">[Gallery: 2 images were not in the WordPress export (ids 1, 2)]</p>'
    )
    assert notes.warnings == ["Gallery: 2 images were not in the WordPress export (ids 1, 2)"]
    assert notes.converted == {"gallery images missing from the export → visible note": 2}


def test_unknown_shortcodes_stay_as_text():
    assert convert_body('[contact-form-7 id="3"]') == '<p>[contact-form-7 id="3"]</p>'


def test_shortcode_attributes():
    assert shortcode_attributes("id=\"a\" align='b' width=300 bare") == {
        "id": "a",
        "align": "b",
        "width": "300",
        0: "bare",
    }


def test_reading_is_streamed(tmp_path):
    """Reading a large export keeps only one item in memory at a time."""
    path = tmp_path / "large.xml"
    body = "Un paragraphe assez long pour peser. " * 60
    header, footer = wxr("{items}").split("{items}")
    with path.open("w", encoding="utf-8") as stream:
        stream.write(header)
        for number in range(1, 3001):
            stream.write(item(number, f"Article {number}", content=body))
        stream.write(footer)
    size = path.stat().st_size
    assert size > 8_000_000
    tracemalloc.start()
    try:
        count = sum(1 for entry in WXRReader(path) if isinstance(entry, Item))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 3000
    assert peak < 1_000_000, f"peak {peak} bytes for a {size}-byte file"
