"""A reader's path through the demo blog, in a real browser."""

import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from blog.models import Article

pytestmark = pytest.mark.browser

FRENCH_SHORT_DATE = re.compile(
    r"^\d{1,2} (janv?\.|févr?\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.) \d{4}$"
)


def french_short_date(moment):
    with translation.override("fr"):
        return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def test_reader_opens_an_article_from_the_home_page(demo_site, page):
    article = Article.objects.get(slug="linkedin-b2b-page-entreprise-canal-affaires")

    page.goto(demo_site)
    assert page.title().startswith("Digital et médias sociaux")
    assert page.locator("article.summary").count() == 10
    page.locator(".summary__title a", has_text="LinkedIn en B2B").click()

    page.wait_for_url(f"**{article.get_absolute_url()}")
    # The title as typeset for French readers: curly apostrophe, no-break space before ":".
    typeset = article.title.replace("'", "’").replace(" :", "\u00a0:")
    expect(page.locator("h1")).to_have_text(typeset)
    meta = page.locator(".article__header .article-meta")
    for shown in [meta, page.locator(".article__header .page-header__kicker"), page.locator(".article-tags")]:
        expect(shown).to_be_visible()
    assert "Julien Bertrand" in meta.inner_text()
    date = meta.locator("time").inner_text()
    assert date == french_short_date(article.published_at)
    assert FRENCH_SHORT_DATE.match(date), date
    assert page.locator(".article__header .page-header__kicker").inner_text().lower() == "linkedin"
    tags = page.locator(".article .article-tags .tag").all_inner_texts()
    assert sorted(tags) == sorted(article.tags.names())
    assert page.locator(".article__body h2").count() >= 2
    assert page.locator(".article__body li").first.is_visible()
    assert page.locator(".further-reading li:not(.further-reading__article)").count() == 2
    assert page.locator(".further-reading__article").count() >= 1  # related articles follow
    assert "Julien Bertrand" in page.locator(".author-box").inner_text()


def test_home_page_paginates(demo_site, page):
    published = Article.objects.published().count()

    page.goto(demo_site)
    first_page = page.locator(".summary__title").all_inner_texts()
    page.locator(".pagination a[rel=next]").click()
    page.wait_for_url("**/?page=2")
    second_page = page.locator(".summary__title").all_inner_texts()
    page.locator(".pagination a[rel=next]").click()
    page.wait_for_url("**/?page=3")
    third_page = page.locator(".summary__title").all_inner_texts()

    assert len(first_page) == len(second_page) == 10
    assert len(set(first_page + second_page + third_page)) == published
    assert page.locator(".pagination a[rel=next]").count() == 0
    page.locator(".pagination a[rel=prev]").click()
    page.wait_for_url("**/?page=2")
    assert page.locator(".summary__title").all_inner_texts() == second_page


def test_reader_browses_a_category_and_a_keyword(demo_site, page):
    page.goto(demo_site)
    page.locator(".sidebar").get_by_role("link", name="Réseaux sociaux", exact=True).click()
    page.wait_for_url("**/categorie/reseaux-sociaux/")
    assert page.locator("h1").inner_text() == "Réseaux sociaux"
    # The parent category lists its sub-categories' articles too.
    expected = Article.objects.published().filter(category__parent__slug="reseaux-sociaux").count()
    assert expected > 0
    assert page.locator("article.summary").count() == expected
    page.locator(".subcategories a", has_text="LinkedIn").click()
    page.wait_for_url("**/categorie/linkedin/")
    titles = page.locator(".summary__title").all_inner_texts()
    assert "Social selling\u00a0: prospecter sur LinkedIn sans spammer" in titles

    page.locator(".summary .article-tags .tag", has_text="social selling").first.click()
    page.wait_for_url(re.compile(r"/mot-cle/social-selling/$"))
    assert page.locator("h1").inner_text() == "social selling"
    tagged = Article.objects.published().filter(tags__name="social selling")
    assert page.locator("article.summary").count() == tagged.count()


def test_about_page_is_in_the_menu(demo_site, page):
    page.goto(demo_site)
    page.locator(".site-nav a", has_text="À propos").click()
    page.wait_for_url("**/a-propos/")
    assert page.locator("h1").inner_text() == "À propos"
    assert page.locator(".article__body h2").count() == 2
