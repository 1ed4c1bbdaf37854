import html
import json
import re
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.redirects.models import Redirect
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorProfileFactory, CategoryFactory

BASE = "http://blog.example.fr"


@pytest.fixture
def article(db, site):
    parent = CategoryFactory(name="Réseaux sociaux", slug="reseaux-sociaux")
    child = CategoryFactory(name="Twitter & X", slug="twitter-x", parent=parent)
    author = AuthorProfileFactory(user__username="camille", display_name="Camille Martin").user
    return ArticleFactory(
        title="Le « fil » d'actualité expliqué",
        excerpt="Comment l'algorithme choisit ce que vous voyez.",
        category=child,
        author=author,
        tags=["Twitter", "Algorithme"],
    )


def meta(page, attribute, name):
    """The content of every <meta attribute="name"> in ``page``, decoded."""
    pattern = rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">'
    return [html.unescape(value) for value in re.findall(pattern, page)]


def json_ld(page):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
    return [json.loads(block) for block in blocks]


def get_page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_language_canonical_and_description(client, article):
    page = get_page(client, article)
    url = BASE + article.get_absolute_url()
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert f'<link rel="canonical" href="{url}">' in page
    assert meta(page, "name", "description") == ["Comment l'algorithme choisit ce que vous voyez."]


def test_seo_description_wins_over_the_excerpt(client, article):
    article.seo_description = "Tout comprendre au fil d'actualité."
    article.save()
    page = get_page(client, article)
    assert meta(page, "name", "description") == ["Tout comprendre au fil d'actualité."]
    assert meta(page, "property", "og:description") == ["Tout comprendre au fil d'actualité."]


def test_description_falls_back_to_the_opening_text(client, db, site):
    article = ArticleFactory(excerpt="", body="<p>Premier <em>paragraphe</em> &amp; suite.</p>" * 30)
    description = meta(get_page(client, article), "name", "description")[0]
    assert description.startswith("Premier paragraphe & suite. Premier")
    assert len(description) <= 160


def test_open_graph_and_twitter_tags(client, article):
    page = get_page(client, article)
    url = BASE + article.get_absolute_url()
    assert meta(page, "property", "og:type") == ["article"]
    assert meta(page, "property", "og:title") == ["Le « fil » d'actualité expliqué"]
    assert meta(page, "property", "og:url") == [url]
    assert meta(page, "property", "og:site_name") == ["Digital et médias sociaux"]
    # No image of its own: the site's image, so that a shared link still shows one.
    assert meta(page, "property", "og:image") == [f"{BASE}/static/img/og-default.png"]
    assert meta(page, "property", "og:locale") == ["fr_FR"]
    published = timezone.localtime(article.published_at).replace(microsecond=0).isoformat()
    assert meta(page, "property", "article:published_time") == [published]
    assert meta(page, "property", "article:modified_time") == [
        timezone.localtime(article.last_modified).replace(microsecond=0).isoformat()
    ]
    assert meta(page, "property", "article:author") == [f"{BASE}/auteur/camille/"]
    assert meta(page, "property", "article:section") == ["Twitter & X"]
    assert sorted(meta(page, "property", "article:tag")) == ["Algorithme", "Twitter"]
    assert meta(page, "name", "twitter:card") == ["summary"]
    assert meta(page, "name", "twitter:title") == ["Le « fil » d'actualité expliqué"]


def test_json_ld_blog_posting_and_breadcrumbs(client, article):
    posting, breadcrumbs = json_ld(get_page(client, article))
    url = BASE + article.get_absolute_url()
    assert posting["@type"] == "BlogPosting"
    assert posting["headline"] == article.title
    assert posting["url"] == url
    assert posting["mainEntityOfPage"]["@id"] == url
    assert posting["author"] == {
        "@type": "Person",
        "name": "Camille Martin",
        "url": f"{BASE}/auteur/camille/",
    }
    assert (
        posting["datePublished"]
        == timezone.localtime(article.published_at).replace(microsecond=0).isoformat()
    )
    assert posting["articleSection"] == "Twitter & X"
    assert posting["inLanguage"] == "fr"
    assert sorted(posting["keywords"]) == ["Algorithme", "Twitter"]
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [(item["position"], item["name"], item["item"]) for item in breadcrumbs["itemListElement"]] == [
        (1, "Digital et médias sociaux", f"{BASE}/"),
        (2, "Réseaux sociaux", f"{BASE}/categorie/reseaux-sociaux/"),
        (3, "Twitter & X", f"{BASE}/categorie/twitter-x/"),
        (4, article.title, url),
    ]


def test_json_ld_cannot_close_its_script(client, db, site):
    title = "</script><script>alert(1)</script><!--"
    article = ArticleFactory(title=title, slug="piege")
    page = get_page(client, article)
    assert "<script>alert(1)" not in page
    assert json_ld(page)[0]["headline"] == title


def test_no_inline_script_or_style_besides_data_blocks(client, article):
    page = get_page(client, article)
    inline = [tag for tag in re.findall(r"<script[^>]*>", page) if " src=" not in tag]
    assert inline == ['<script type="application/ld+json">'] * 2
    assert " style=" not in page
    assert not re.search(r"<[^>]+\son\w+=", page)


def test_share_links_are_plain_links(client, article):
    page = get_page(client, article)
    url = BASE + article.get_absolute_url()
    links = [html.unescape(href) for href in re.findall(r'<a class="share__link[^"]*" href="([^"]+)"', page)]
    assert len(links) == 4
    x, linkedin, facebook, email = (urlsplit(link) for link in links)
    assert x.netloc == "twitter.com" and parse_qs(x.query) == {"url": [url], "text": [article.title]}
    assert linkedin.netloc == "www.linkedin.com" and parse_qs(linkedin.query) == {"url": [url]}
    assert facebook.netloc == "www.facebook.com" and parse_qs(facebook.query) == {"u": [url]}
    assert email.scheme == "mailto" and parse_qs(email.query) == {"subject": [article.title], "body": [url]}


def test_image_tags_appear_when_the_article_has_an_image(site):
    request = RequestFactory().get("/")
    template = Template("{% load seo_tags %}{% article_image_url article as url %}{{ url }}")
    with_image = SimpleNamespace(featured_image=SimpleNamespace(url="/media/articles/une.jpg"))
    assert template.render(Context({"request": request, "article": with_image})) == (
        f"{BASE}/media/articles/une.jpg"
    )
    without = SimpleNamespace(featured_image=None)
    assert template.render(Context({"request": request, "article": without})) == ""


def test_preview_is_not_indexed(client, staff_user, db, site):
    draft = ArticleFactory(draft=True, published_at=None)
    client.force_login(staff_user)
    page = client.get(f"/apercu/{draft.pk}/").content.decode()
    assert '<meta name="robots" content="noindex">' in page
    assert meta(page, "property", "article:published_time") == []


@pytest.mark.parametrize("related", [2, 20])
def test_article_page_query_budget(client, article, django_assert_max_num_queries, related):
    ArticleFactory.create_batch(related, category=article.category, tags=["Twitter"])
    # A first view, with nothing cached yet: every part is read once.
    with django_assert_max_num_queries(20):
        assert client.get(article.get_absolute_url()).status_code == 200


# Old links keep working: django.contrib.redirects answers addresses that no longer exist.


def test_old_address_redirects_permanently(client, article, site):
    Redirect.objects.create(
        site=site, old_path="/2009/01/ancien-article.html", new_path=article.get_absolute_url()
    )
    response = client.get("/2009/01/ancien-article.html")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_removed_address_answers_gone(client, article, site):
    Redirect.objects.create(site=site, old_path="/page-supprimee/", new_path="")
    assert client.get("/page-supprimee/").status_code == 410


def test_redirects_never_hide_a_live_page(client, article, site):
    Redirect.objects.create(site=site, old_path=article.get_absolute_url(), new_path="/")
    assert client.get(article.get_absolute_url()).status_code == 200


def test_dates_in_pages_have_no_microseconds(client, article):
    article.published_at = article.published_at.replace(microsecond=123456)
    article.save()
    for url in ["/", article.get_absolute_url(), article.category.get_absolute_url()]:
        page = client.get(url).content.decode()
        datetimes = re.findall(r'<time datetime="([^"]+)"', page)
        assert datetimes, url
        for value in datetimes:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", value), (url, value)
    page = get_page(client, article)
    assert ".123456" not in page


@pytest.mark.parametrize("language, locale", [("fr", "fr_FR"), ("en", "en_US")])
def test_open_graph_locale_follows_the_language(client, article, settings, language, locale):
    settings.LANGUAGE_CODE = language
    page = client.get("/", headers={"accept-language": language}).content.decode()
    assert meta(page, "property", "og:locale") == [locale]


def test_every_public_page_names_its_canonical_address(client, article, site):
    from django.contrib.flatpages.models import FlatPage

    page = FlatPage.objects.create(url="/a-propos/", title="À propos", content="<p>Nous</p>")
    page.sites.add(site)
    day = article.publication_date
    urls = {
        "/": f"{BASE}/",
        article.get_absolute_url(): BASE + article.get_absolute_url(),
        article.category.get_absolute_url(): BASE + article.category.get_absolute_url(),
        "/mot-cle/twitter/": f"{BASE}/mot-cle/twitter/",
        "/auteur/camille/": f"{BASE}/auteur/camille/",
        f"/{day.year}/": f"{BASE}/{day.year}/",
        f"/{day.year}/{day.month:02d}/": f"{BASE}/{day.year}/{day.month:02d}/",
        "/a-propos/": f"{BASE}/a-propos/",
        # Query parameters other than the page number name no other page.
        "/?utm_source=lettre": f"{BASE}/",
    }
    for url, canonical in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        links = re.findall(r'<link rel="canonical" href="([^"]+)">', response.content.decode())
        assert links == [canonical], url


def test_later_pages_of_a_list_are_their_own_canonical(client, db, site, settings):
    settings.BLOG_PAGINATE_BY = 1
    ArticleFactory.create_batch(2)
    links = re.findall(r'<link rel="canonical" href="([^"]+)">', client.get("/?page=2").content.decode())
    assert links == [f"{BASE}/?page=2"]


def test_list_pages_offer_the_site_image_to_social_networks(client, article):
    page = client.get(article.category.get_absolute_url()).content.decode()
    assert meta(page, "property", "og:image") == [f"{BASE}/static/img/og-default.png"]
    assert meta(page, "property", "og:type") == ["website"]


def test_every_page_has_a_favicon_that_exists(client, article):
    from django.contrib.staticfiles import finders

    page = client.get("/").content.decode()
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="/static/([^"]+)"', page)
    assert {"img/favicon.svg", "img/favicon-32.png", "img/apple-touch-icon.png"} <= set(icons)
    for icon in icons:
        assert finders.find(icon), icon
    not_found = client.get("/page-qui-n-existe-pas/").content.decode()
    assert 'href="/static/img/favicon.svg"' in not_found


def test_the_header_search_is_a_named_landmark(client, article):
    page = client.get("/").content.decode()
    assert re.search(r'<form class="site-search" role="search" aria-label="[^"]+"', page)
