"""French typography on what readers see: no-break spaces and curly apostrophes, never inside markup."""

import pytest
from django.template import Context, Template
from django.utils import translation

from blog.templatetags.blog_tags import initials, iso_datetime, reading_minutes, typeset_html
from tests.factories import ArticleFactory

NNBSP, NBSP = "\u202f", "\u00a0"


def test_spaces_before_double_punctuation_cannot_break():
    assert typeset_html("Vraiment ? Oui ! Enfin ; voici : « la suite »") == (
        f"Vraiment{NNBSP}? Oui{NNBSP}! Enfin{NNBSP}; voici{NBSP}: «{NNBSP}la suite{NNBSP}»"
    )


def test_apostrophes_become_curly():
    assert typeset_html("L'article d'aujourd&#x27;hui") == "L’article d’aujourd’hui"


def test_tags_attributes_and_entities_are_left_alone():
    html = (
        '<a href="https://example.org/?q=1&amp;r=2" title="Quoi ? l\'été">Lien ?</a> &amp; 10:30 '
        '<img alt="a : b">'
    )
    assert typeset_html(html) == (
        '<a href="https://example.org/?q=1&amp;r=2" title="Quoi ? l\'été">Lien' + NNBSP + "?</a> &amp; 10:30 "
        '<img alt="a : b">'
    )


def test_code_is_left_alone():
    html = "<p>Le code ?</p><pre><code>x = 'a' ; y ?</code></pre><p>Fin !</p>"
    assert (
        typeset_html(html) == f"<p>Le code{NNBSP}?</p><pre><code>x = 'a' ; y ?</code></pre><p>Fin{NNBSP}!</p>"
    )


def test_english_keeps_its_spacing():
    assert typeset_html("Really ? It's", french=False) == "Really ? It’s"


def test_filter_escapes_plain_text():
    with translation.override("fr"):
        rendered = Template("{% load blog_tags %}{{ title|typeset }}").render(
            Context({"title": "<b>Gras</b> ? l'été"})
        )
    assert rendered == f"&lt;b&gt;Gras&lt;/b&gt;{NNBSP}? l’été"


@pytest.mark.django_db
def test_article_page_shows_typeset_title_and_body(client):
    article = ArticleFactory(
        title="Pourquoi l'algorithme ?",
        body='<p>Réponse : c\'est <a href="https://example.org/?a=1">simple</a> !</p>',
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"Pourquoi l’algorithme{NNBSP}?</h1>" in page
    assert f"Réponse{NBSP}: c’est" in page
    assert f"</a>{NNBSP}!" in page
    assert 'href="https://example.org/?a=1"' in page
    # Search engines and networks get the title as the editor typed it.
    assert "<title>Pourquoi l&#x27;algorithme ? – " in page


def test_reading_time_initials_and_dates():
    import datetime

    assert reading_minutes("<p>" + "mot " * 10 + "</p>") == 1
    assert reading_minutes("<p>" + "mot " * 1000 + "</p>") == 5
    assert initials("Claire Morel") == "CM"
    assert initials("jean-pierre dupont") == "JD"
    assert initials("") == "?"
    moment = datetime.datetime(2026, 3, 2, 16, 30, 5, 123456, tzinfo=datetime.UTC)
    assert iso_datetime(moment) == "2026-03-02T17:30:05+01:00"
