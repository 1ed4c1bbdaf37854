"""Hostile HTML never reaches readers, whoever wrote it: the editor, a paste, an import."""

import html
import re

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

from medialib.sanitize import sanitize_html
from tests.factories import ArticleFactory

# Known cross-site scripting payloads, from the classic filter-evasion lists.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    "<img src=x OnErRoR=alert(1)>",
    '<img src="javascript:alert(1)">',
    '<img srcset="javascript:alert(1) 1x">',
    '<img src="x" srcset="a.png 1x, javascript:alert(1) 2x">',
    "<img src=`javascript:alert(1)`>",
    "<img/src='x'/onerror=alert(1)>",
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="java\tscript:alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="https://example.org" onclick="alert(1)" onmouseover="alert(2)">x</a>',
    '<a href="https://example.org" target="_blank">no opener</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div style="width: expression(alert(1))">old IE</div>',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    "<!--<img src=x onerror=alert(1)>-->",
    '<p title="</p><script>alert(1)</script>">quoted</p>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<blockquote cite="javascript:alert(1)">quote</blockquote>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "<marquee onstart=alert(1)>old</marquee>",
    '"><script>alert(1)</script>',
]

DANGEROUS_TAGS = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|svg|math|style|link|meta|base|form|input|button|body|"
    r"video|audio|details|marquee|noscript)\b",
    re.I,
)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
DANGEROUS_URL = re.compile(r"(javascript|vbscript|data)\s*:", re.I)


def assert_harmless(cleaned):
    # Escaped text ("&lt;script&gt;" inside a title) is inert; real tags are not.
    assert not DANGEROUS_TAGS.search(cleaned), cleaned
    assert not EVENT_HANDLER.search(cleaned), cleaned
    # URLs are compared decoded: an entity-encoded "javascript:" is still one.
    for value in re.findall(r'\s(?:href|src|srcset|cite|action|formaction|background)="([^"]*)"', cleaned):
        assert not DANGEROUS_URL.search(html.unescape(value).replace("\t", "")), cleaned
    assert "style=" not in cleaned, cleaned


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_known_xss_payloads_are_neutralised(payload):
    assert_harmless(sanitize_html(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_article_body_is_sanitised_on_save(db, payload):
    article = ArticleFactory(body=f"<p>Avant</p>{payload}<p>Après</p>")
    article.refresh_from_db()
    assert_harmless(article.body)
    assert "<p>Avant</p>" in article.body
    assert "<p>Après</p>" in article.body


def test_what_the_editor_produces_survives():
    body = (
        "<h2>Titre</h2><h3>Sous-titre</h3><p><strong>gras</strong> et <em>italique</em></p>"
        "<ul><li>un</li><li>deux</li></ul><ol><li>premier</li></ol>"
        '<blockquote><p>Une citation</p></blockquote><p><a href="https://example.org/page">un lien</a></p>'
        '<figure class="image"><img src="/media/library/2026/11/photo.jpg" alt="Une photo" width="800" '
        'height="450"><figcaption>Légende</figcaption></figure>'
        '<p><a href="https://www.youtube.com/watch?v=abc">Voir la vidéo</a></p>'
    )
    cleaned = sanitize_html(body)
    for fragment in (
        "<h2>Titre</h2>", "<h3>Sous-titre</h3>", "<strong>gras</strong>", "<em>italique</em>",
        "<ul><li>un</li><li>deux</li></ul>", "<ol><li>premier</li></ol>", "<blockquote><p>Une citation</p>",
        'href="https://example.org/page"', 'src="/media/library/2026/11/photo.jpg"', 'alt="Une photo"',
        'width="800"', 'height="450"', "<figcaption>Légende</figcaption>", 'class="image"',
        'href="https://www.youtube.com/watch?v=abc"',
    ):  # fmt: skip
        assert fragment in cleaned, fragment


def test_links_cannot_reach_back_to_the_page():
    cleaned = sanitize_html('<a href="https://example.org" target="_blank">x</a>')
    assert 'rel="noopener noreferrer"' in cleaned
    assert "target" not in cleaned


def test_images_in_a_text_load_lazily_whatever_the_input_says():
    cleaned = sanitize_html('<img src="/media/a.jpg" alt="a" loading="eager">')
    assert 'loading="lazy"' in cleaned
    assert "eager" not in cleaned
    assert 'decoding="async"' in cleaned


def test_safe_srcset_is_kept():
    cleaned = sanitize_html('<img src="/a.jpg" srcset="/a-400.jpg 400w, https://cdn.example/a.jpg 800w">')
    assert 'srcset="/a-400.jpg 400w, https://cdn.example/a.jpg 800w"' in cleaned


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS[:12])
def test_static_page_content_is_sanitised_on_save(payload):
    page = FlatPage.objects.create(url="/a-propos/", title="À propos", content=f"<p>Texte</p>{payload}")
    page.sites.add(Site.objects.get_current())
    page.refresh_from_db()
    assert_harmless(page.content)
    assert "<p>Texte</p>" in page.content


@pytest.mark.django_db
def test_static_page_shows_clean_html(client):
    page = FlatPage.objects.create(
        url="/a-propos/", title="À propos", content="<h2>Qui sommes-nous</h2><script>alert(1)</script>"
    )
    page.sites.add(Site.objects.get_current())
    response = client.get("/a-propos/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h2>Qui sommes-nous</h2>" in content
    assert "alert(1)" not in content


def test_ordinary_links_mentioning_a_scheme_word_are_kept():
    for url in ("https://example.org/big-data:analyse", "https://example.org/?q=metadata:auteur"):
        assert f'href="{url}"' in sanitize_html(f'<a href="{url}">lien</a>')


def test_the_same_text_gives_the_same_bytes_in_every_process():
    """Versions, re-imports and caches compare sanitised bodies: attribute order must not vary."""
    import subprocess
    import sys

    code = (
        "from medialib.sanitize import sanitize_html; "
        'print(sanitize_html(\'<p><img src="/m/a.jpg" alt="Une vue" width="800" height="600"></p>\'))'
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(8)
    }
    assert outputs == {
        '<p><img src="/m/a.jpg" alt="Une vue" width="800" height="600" loading="lazy" decoding="async"></p>\n'
    }


def test_an_image_keeps_an_alt_text_with_a_closing_bracket():
    assert sanitize_html('<img src="/a.jpg" alt="1 > 0">') == (
        '<img src="/a.jpg" alt="1 &gt; 0" loading="lazy" decoding="async">'
    )
