"""An editor writes, illustrates and publishes an article in a real browser."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from blog.models import Article
from medialib.models import MediaImage
from tests.factories import image_bytes


@pytest.mark.browser
def test_editor_writes_illustrates_and_publishes_an_article(
    transactional_db, live_server, settings, page, tmp_path
):
    settings.ROOT_URLCONF = "tests.medialib.urls"
    get_user_model().objects.create_superuser("redaction", "redaction@example.org", "un-mot-de-passe-solide")
    photo = tmp_path / "photo-de-une.jpg"
    photo.write_bytes(image_bytes(1800, 1200, color=(30, 110, 190)))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "redaction")
    page.fill("#id_password", "un-mot-de-passe-solide")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/blog/article/add/")

    page.fill("#id_title", "Les réseaux sociaux en 2026")
    editor = page.frame_locator("#id_body_ifr").locator("body")
    expect(editor).to_be_editable(timeout=15_000)
    editor.click()
    page.keyboard.type("Un premier paragraphe écrit dans l'éditeur.")
    page.keyboard.press("Enter")
    page.keyboard.type("Une liste :")
    page.keyboard.press("Enter")
    page.click('button[data-mce-name="bullist"]')
    page.keyboard.type("premier point")

    page.set_input_files("#id_featured_image", str(photo))
    page.fill("#id_featured_image_alt", "Un fond bleu uni")
    page.fill("#id_featured_image_caption", "Photo : la rédaction")
    page.select_option("#id_status", "published")
    moment = timezone.localtime(timezone.now() - datetime.timedelta(minutes=5))
    page.fill("#id_published_at_0", moment.strftime("%d/%m/%Y"))
    page.fill("#id_published_at_1", moment.strftime("%H:%M:%S"))
    page.click('input[name="_save"]')
    expect(page.locator(".messagelist .success")).to_be_visible()

    article = Article.objects.get(title="Les réseaux sociaux en 2026")
    assert article.is_public
    assert "<p>Un premier paragraphe écrit dans l'éditeur.</p>" in article.body
    assert re.search(r"<ul>\s*<li>premier point</li>\s*</ul>", article.body)
    assert article.featured_image_width == 1800

    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text("Les réseaux sociaux en 2026")
    expect(page.locator(".article__body li")).to_have_text("premier point")
    image = page.locator("figure.featured-image img")
    expect(image).to_have_attribute("alt", "Un fond bleu uni")
    expect(page.locator("figure.featured-image figcaption")).to_have_text("Photo : la rédaction")
    # Playwright's own check: a predicate string would be eval'd, which the page's CSP forbids.
    expect(image).to_have_js_property("complete", True)
    loaded = image.evaluate("img => ({width: img.naturalWidth, src: img.currentSrc})")
    # Loaded; with srcset, naturalWidth is given at the layout's scale (the "sizes" width).
    assert loaded["width"] > 0
    assert loaded["src"].endswith(".webp")  # chromium takes the WebP rendition
    assert errors == []


# What a strict policy (no inline script, no eval) allows; inline styles stay
# allowed because the editor positions its menus with them.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)


@pytest.mark.browser
def test_editor_uploads_an_image_into_the_body_under_a_strict_csp(
    transactional_db, live_server, settings, page, tmp_path
):
    settings.ROOT_URLCONF = "tests.medialib.urls"
    get_user_model().objects.create_superuser("redaction", "redaction@example.org", "un-mot-de-passe-solide")
    diagram = tmp_path / "Schéma du réseau.png"
    diagram.write_bytes(image_bytes(900, 500, format="PNG", color=(240, 200, 20)))
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None,
    )

    def with_csp(route):
        # Only pages get the header; form posts, uploads and files pass through untouched.
        if route.request.resource_type != "document" or route.request.method != "GET":
            return route.continue_()
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route("**/*", with_csp)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "redaction")
    page.fill("#id_password", "un-mot-de-passe-solide")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/blog/article/add/")
    page.fill("#id_title", "Un schéma commenté")
    editor = page.frame_locator("#id_body_ifr").locator("body")
    expect(editor).to_be_editable(timeout=15_000)
    editor.click()
    page.keyboard.type("Voici le schéma :")
    page.keyboard.press("Enter")

    page.click('button[data-mce-name="image"]')
    dialog = page.get_by_role("dialog").first
    dialog.locator(".tox-tab").nth(1).click()  # the upload tab
    page.set_input_files(".tox-dialog input[type=file]", str(diagram))
    source = dialog.locator("input[type=url]")
    expect(source).to_have_value(re.compile(r"^/media/library/\d{4}/\d{2}/schema-du-reseau\.png$"))
    dialog.locator(".tox-textfield").nth(1).fill("Le schéma du réseau")  # alternative description
    dialog.locator(".tox-button:not(.tox-button--secondary):not(.tox-button--naked)").click()
    expect(editor.locator("img")).to_have_attribute("alt", "Le schéma du réseau")

    page.select_option("#id_status", "published")
    moment = timezone.localtime(timezone.now() - datetime.timedelta(minutes=5))
    page.fill("#id_published_at_0", moment.strftime("%d/%m/%Y"))
    page.fill("#id_published_at_1", moment.strftime("%H:%M:%S"))
    page.click('input[name="_save"]')
    expect(page.locator(".messagelist .success")).to_be_visible()

    image = MediaImage.objects.get()
    assert image.uploaded_by.username == "redaction"
    article = Article.objects.get(title="Un schéma commenté")
    assert f'src="{image.file.url}"' in article.body
    assert 'alt="Le schéma du réseau"' in article.body

    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    body_image = page.locator(".article__body img")
    expect(body_image).to_have_attribute("loading", "lazy")
    body_image.scroll_into_view_if_needed()
    expect(body_image).to_have_js_property("complete", True)
    assert body_image.evaluate("img => img.naturalWidth") > 0
    assert problems == []
