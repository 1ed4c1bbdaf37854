"""Every kind of public page against the standards: the Nu Html Checker (vnu-jar) finds no
error, axe-core no violation, the focus ring stands out in both themes; screenshots of
the main pages at three widths land in test-artifacts/ for a person to look at.

vnu-jar comes from npm (package.json) and runs on Debian's Java (scripts/system-deps).
"""

import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from taggit.models import Tag

from blog.models import Article
from tests.browser_a11y.conftest import AXE_SCRIPT
from tests.html_validator import html_errors, require_validator

pytestmark = pytest.mark.browser

WITH_IMAGE = "communication-de-crise-la-premiere-heure"
WITHOUT_IMAGE = "linkedin-b2b-page-entreprise-canal-affaires"
WIDTHS = [390, 768, 1280]


def _require(path, what):
    if path is None or not Path(path).exists():
        message = f"{what} is not installed (`make test` installs it)."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def serve_media(context):
    """The live server does not serve uploads (DEBUG is off in tests): the browser gets
    them straight from the storage the demo saved its images to."""
    from django.core.files.storage import default_storage

    def handle(route):
        name = urllib.parse.unquote(urllib.parse.urlsplit(route.request.url).path)[len(settings.MEDIA_URL) :]
        if not default_storage.exists(name):
            route.fulfill(status=404)
            return
        with default_storage.open(name) as stored:
            body = stored.read()
        kind = {"webp": "image/webp", "png": "image/png"}.get(name.rsplit(".", 1)[-1], "image/jpeg")
        route.fulfill(status=200, body=body, content_type=kind)

    context.route(f"**{settings.MEDIA_URL}**", handle)
    return context


def public_pages():
    """One address of each kind of public page, in the demo blog."""
    with_image = Article.objects.get(slug=WITH_IMAGE)
    without_image = Article.objects.get(slug=WITHOUT_IMAGE)
    assert with_image.featured_image and not without_image.featured_image
    tag = Tag.objects.filter(taggit_taggeditem_items__isnull=False).order_by("name").first()
    day = with_image.publication_date
    return {
        "home": "/",
        "article": with_image.get_absolute_url(),
        "article-without-image": without_image.get_absolute_url(),
        "category": with_image.category.get_absolute_url(),
        "tag": f"/mot-cle/{tag.slug}/",
        "author": f"/auteur/{with_image.author.get_username()}/",
        "archives": f"/{day.year}/{day.month:02d}/",
        "static-page": "/a-propos/",
        "search": "/recherche/?q=communaut%C3%A9",
        "not-found": "/cette-page-n-existe-pas/",
    }


def fetch(url):
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_every_kind_of_page_is_valid_html(demo_site, tmp_path):
    require_validator()
    pages = {}
    for name, path in public_pages().items():
        status, body = fetch(demo_site + path)
        assert status == (404 if name == "not-found" else 200), (name, status)
        pages[name] = body
    assert html_errors(pages, tmp_path) == []


def test_every_kind_of_page_passes_axe(demo_site, browser):
    _require(AXE_SCRIPT, "axe-core (npm)")
    for scheme in ("light", "dark"):
        context = serve_media(
            browser.new_context(base_url=demo_site, bypass_csp=True, color_scheme=scheme, locale="fr-FR")
        )
        page = context.new_page()
        try:
            for name, path in public_pages().items():
                page.goto(path)
                page.add_script_tag(path=str(AXE_SCRIPT))
                result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
                violations = [
                    (violation["id"], [node["target"] for node in violation["nodes"]][:3])
                    for violation in result["violations"]
                ]
                assert violations == [], f"{name} ({scheme}): {violations}"
        finally:
            context.close()


def _luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one, two):
    light, dark = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


FOCUS_COLOURS = """(selector) => {
  const element = document.querySelector(selector);
  element.focus();
  const rgb = (value) => value.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  let around = element.parentElement;
  while (around && getComputedStyle(around).backgroundColor.match(/rgba\\(.*, 0\\)$|transparent/)) {
    around = around.parentElement;
  }
  const style = getComputedStyle(element);
  return {
    ring: rgb(style.outlineColor), width: parseFloat(style.outlineWidth), style: style.outlineStyle,
    background: rgb(getComputedStyle(around || document.body).backgroundColor),
  };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_ring_contrasts_with_the_page(demo_site, browser, scheme):
    context = browser.new_context(base_url=demo_site, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(Article.objects.get(slug=WITH_IMAGE).get_absolute_url())
        page.keyboard.press("Tab")  # keyboard focus: :focus-visible applies from here on
        for selector in [
            ".site-nav a",
            "#site-search-q",
            ".article__body a",
            ".author-box__name a",
            ".footer-links a",
        ]:
            colours = page.evaluate(FOCUS_COLOURS, selector)
            assert colours["style"] != "none" and colours["width"] >= 2, (selector, colours)
            ratio = contrast(colours["ring"], colours["background"])
            assert ratio >= 3, f"{selector} ({scheme}): {ratio:.2f} {colours}"
    finally:
        context.close()


def test_screenshots_at_three_widths(demo_site, browser, artifacts):
    pages = public_pages()
    shots = {name: pages[name] for name in ("home", "article", "category", "search")}
    for width in WIDTHS:
        for scheme in ("light", "dark"):
            context = serve_media(
                browser.new_context(
                    base_url=demo_site, viewport={"width": width, "height": 900}, color_scheme=scheme
                )
            )
            page = context.new_page()
            try:
                for name, path in shots.items():
                    page.goto(path)
                    # Lazy images load once scrolled to: scroll through, then back to the top.
                    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                    page.wait_for_load_state("networkidle")
                    page.evaluate("window.scrollTo(0, 0)")
                    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    assert overflow <= 0, f"{name} at {width}px is wider than the window"
                    suffix = "" if scheme == "light" else "-dark"
                    page.screenshot(path=artifacts / f"{name}-{width}{suffix}.png", full_page=True)
            finally:
                context.close()
    assert (artifacts / "home-1280.png").stat().st_size > 10_000
