"""What editors type in plain-text fields shows as text, never as markup (stored XSS by an editor).

Django's flatpage view marks a page's title *and* content safe, since it
takes both for trusted HTML; only the content goes through the sanitiser here.
"""

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

from tests.security.payloads import XSS, assert_no_raw_markup

TITLE = "Piège <script>alert(1)</script>"


def flatpage(title, content="<p>Qui sommes-nous ?</p>"):
    page = FlatPage.objects.create(url="/a-propos/", title=title, content=content)
    page.sites.add(Site.objects.get_current())
    return page


@pytest.mark.django_db
def test_a_static_page_title_is_text_in_its_heading_and_its_title(client):
    flatpage(TITLE)
    response = client.get("/a-propos/")
    assert response.status_code == 200
    html = response.content.decode()
    escaped = "Piège &lt;script&gt;alert(1)&lt;/script&gt;"
    assert f'<h1 class="article__title">{escaped}</h1>' in html
    assert f"<title>{escaped} – " in html
    assert "<script>alert(1)" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS)
def test_no_static_page_title_becomes_markup(client, payload):
    flatpage(f"À propos {payload}")
    html = client.get("/a-propos/").content.decode()
    assert_no_raw_markup(html, payload)


@pytest.mark.django_db
def test_an_ampersand_in_a_static_page_title_is_escaped_once(client):
    flatpage("Questions & réponses")
    html = client.get("/a-propos/").content.decode()
    assert '<h1 class="article__title">Questions &amp; réponses</h1>' in html


@pytest.mark.django_db
def test_a_static_page_content_keeps_its_markup(client):
    flatpage("À propos", "<p>Nous <strong>écrivons</strong>.</p>")
    assert "<strong>écrivons</strong>" in client.get("/a-propos/").content.decode()


@pytest.mark.django_db
def test_every_plain_text_field_an_editor_fills_shows_as_text(client):
    """Titles, names, excerpts, descriptions and captions: on every public page that shows them."""
    from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, FurtherReadingFactory

    payload = "<script>alert(1)</script>"
    category = CategoryFactory(name=f"Catégorie {payload}", description=f"Décrite {payload}")
    article = ArticleFactory(
        title=f"Titre {payload}",
        excerpt=f"Résumé {payload}",
        seo_description=f"Pour les moteurs {payload}",
        featured_image_alt=f"Image {payload}",
        featured_image_caption=f"Légende {payload}",
        category=category,
        tags=[f"mot {payload}"],
    )
    profile = article.author.profile
    profile.display_name, profile.bio, profile.website = f"Autrice {payload}", f"Bio {payload}", ""
    profile.save()
    FurtherReadingFactory(article=article, title=f"Lecture {payload}")
    CommentFactory(article=article, user_name=f"Lectrice {payload}", comment=f"Avis {payload}")
    flatpage(f"Page {payload}")

    paths = [
        "/",
        article.get_absolute_url(),
        category.get_absolute_url(),
        profile.get_absolute_url(),
        "/a-propos/",
        "/recherche/?q=Titre",
        "/flux/rss/",
        "/commentaires/flux/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert payload not in response.content.decode(), path
