"""Notes typed inline as ((…)) become numbered calls and a "Notes" section with links back."""

import re

import pytest

from blog.models import Article
from medialib.footnotes import footnotes
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def ref(number):
    return (
        f'<sup class="note-ref"><a id="note-ref-{number}" href="#note-{number}" role="doc-noteref" '
        f'aria-describedby="notes-title">{number}</a></sup>'
    )


def test_notes_are_numbered_in_order_and_gathered_at_the_end():
    article = ArticleFactory(
        body=(
            "<p>Le ministre l’a dit ((Entretien du 3 mai, <em>Le Monde</em>.)) puis répété((Voir "
            '<a href="https://example.org/source">la source</a>.)).</p>'
            "<ul><li>Un point((Dans une liste.))</li></ul>"
            "<blockquote><p>Une citation((Traduite par nous.))</p></blockquote>"
        )
    )
    html = article.body_html

    assert html.startswith(
        f"<p>Le ministre l’a dit{ref(1)} puis répété{ref(2)}.</p><ul><li>Un point{ref(3)}</li>"
    )
    notes = html[html.index('<section class="notes"') :]
    assert notes.startswith(
        '<section class="notes" role="doc-endnotes" aria-labelledby="notes-title">'
        '<h2 id="notes-title">Notes</h2>'
    )
    items = re.findall(
        r'<li id="note-(\d)">(.*?) <a class="notes__back" href="#note-ref-(\d)" role="doc-backlink"', notes
    )
    assert items == [
        ("1", "Entretien du 3 mai, <em>Le Monde</em>.", "1"),
        ("2", 'Voir <a href="https://example.org/source" rel="noopener noreferrer">la source</a>.', "2"),
        ("3", "Dans une liste.", "3"),
        ("4", "Traduite par nous.", "4"),
    ]
    # Each back-link is named for screen readers; the body as written is unchanged.
    assert len(re.findall(r'aria-label="[^"]+ 4\)"', notes)) == 1
    assert "((" in Article.objects.get().body and "((" not in html


def test_the_notes_section_is_a_section_of_the_table_of_contents(client):
    article = ArticleFactory(body="<h2>Contexte</h2><p>Un fait((Une source.))</p>", table_of_contents=True)
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'href="#contexte"' in page and 'href="#notes-title"' in page
    assert page.count('id="notes-title"') == 1


def test_ids_stay_the_same_from_one_save_to_the_next():
    article = ArticleFactory(body="<p>A((un)) B((deux))</p>")
    first = article.body_html
    article.save()
    assert article.body_html == first
    assert re.findall(r'id="([^"]+)"', first) == [
        "note-ref-1",
        "note-ref-2",
        "notes-title",
        "note-1",
        "note-2",
    ]


def test_a_body_without_notes_is_left_exactly_as_it_was():
    body = "<p>Des (parenthèses) et ((presque) des) notes, f(g(x)) et :) fin.</p><h2>Titre</h2>"
    article = ArticleFactory(body=body)
    assert article.body_html == body.replace("<h2>", '<h2 id="titre">')
    assert footnotes("") == "" and footnotes(None) is None


@pytest.mark.parametrize(
    "body",
    [
        "<p>Pas fermée ((une note sans fin.</p><p>Ailleurs)) dans un autre paragraphe.</p>",
        "<p>Vide (()) et blanche ((   )) et ((&nbsp;)).</p>",
        "<pre>code((pas une note))</pre>",
        "<p>Du <code>f((x))</code> en ligne.</p>",
        "<h2>Un titre((pas de note ici))</h2>",
        '<p><a href="https://example.org/">un lien((non))</a></p>',
        "<p>Croisée ((une <em>note)) mal</em> formée.</p>",
        "<p>Croisée <em>((une</em> note)) mal formée.</p>",
        '<p><a href="https://example.org/?q=((x))" title="((y))">lien</a></p>',
    ],
)
def test_odd_input_is_left_as_typed(body):
    article = ArticleFactory(body=body)
    assert "<sup" not in article.body_html and 'class="notes"' not in article.body_html
    assert article.body_html.replace(' id="un-titrepas-de-note-ici"', "") == article.body


def test_parentheses_inside_a_note_pair_up():
    html = footnotes("<p>Voir ((Durand (2020), p. 3)) et ((presque) pas) une.</p>")
    assert html.startswith(f"<p>Voir{ref(1)} et ((presque) pas) une.</p>")
    assert '<li id="note-1">Durand (2020), p. 3 <a' in html


def test_odd_input_that_is_a_note_still_gives_sound_markup():
    html = footnotes("<p>Triple (((note))) et ((a)(b)) puis ((fin)) ((</p>")
    assert html.count('<sup class="note-ref">') == 2
    assert html.count("<li id=") == 2
    assert html.endswith("</ol></section>")
    # No tag left open or closed twice: the note sits inside the paragraph.
    assert html.index("</p>") < html.index("<section")


def test_a_space_before_the_note_is_dropped_so_the_call_follows_its_word():
    assert footnotes("<p>mot ((note)) suite</p>").startswith(f"<p>mot{ref(1)} suite</p>")
    assert footnotes("<p>mot&nbsp;((note))</p>").startswith(f"<p>mot{ref(1)}</p>")


def test_notes_and_their_markup_survive_the_sanitiser_untouched_in_the_body():
    article = ArticleFactory(
        body='<p>Texte((Une note avec <script>alert(1)</script><img src=x onerror="alert(1)">))</p>'
    )
    assert "<script" not in article.body_html and "onerror" not in article.body_html
    assert '<li id="note-1">Une note avec <img src="x" loading="lazy" decoding="async">' in article.body_html
