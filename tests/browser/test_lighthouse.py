"""Lighthouse (npm, pinned in package.json) on each kind of public page of the demo blog:
accessibility, best practices and SEO score 100 and no request leaves the machine. The
performance score (desktop preset) is printed, not asserted: it follows the machine's load,
which the tests share (aim: 0.95 or more).

Lighthouse drives its own Debian chromium. Nothing leaves the machine: every address but
loopback goes to a proxy that does not exist (Chromium never proxies loopback), the
browser's background services are off, and Lighthouse's error reporting too.

The search results page is kept out of search engines on purpose (``noindex``, and
``Disallow`` in robots.txt): there, the one SEO audit that may fail is "is-crawlable".
"""

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.urls import include, path, reverse

from tests.browser_fixtures import CHROMIUM

pytestmark = pytest.mark.browser

LIGHTHOUSE = Path(settings.BASE_DIR) / "node_modules" / ".bin" / "lighthouse"
STRICT = ["accessibility", "best-practices", "seo"]
CATEGORIES = [*STRICT, "performance"]
AIMED_PERFORMANCE = 0.95
CHROME_FLAGS = " ".join(
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-sync",
        "--no-first-run",
        "--proxy-server=http://127.0.0.1:9",
    ]
)
WITH_COMMENTS = "communication-de-crise-la-premiere-heure"
NOT_INDEXED_ON_PURPOSE = {"search": {"is-crawlable"}}


def stored_media(request, name):
    """The demo's uploads, from the storage they were saved to: the live server does not
    serve media (a web server does, in production), and a missing image would count as a
    console error in the best-practices score."""
    if not default_storage.exists(name):
        raise Http404
    return FileResponse(default_storage.open(name), filename=Path(name).name)


urlpatterns = [
    path(settings.MEDIA_URL.lstrip("/") + "<path:name>", stored_media),
    path("", include(settings.ROOT_URLCONF)),
]


@pytest.fixture
def site_with_media(settings, demo_site):
    settings.ROOT_URLCONF = __name__
    return demo_site


def _require(path, what):
    if not path.exists():
        message = f"{what} is not installed (`make test` installs it)."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def lighthouse(url, output):
    """One Lighthouse run (a second one if the first fails to record its trace, a known flake)."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--preset=desktop",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--no-enable-error-reporting",
        "--disable-full-page-screenshot",
        "--output=json",
        f"--output-path={output}",
    ]
    for _attempt in range(2):
        result = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
            capture_output=True,
            text=True,
            timeout=180,
        )
        if result.returncode == 0:
            break
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(Path(output).read_text())


def lost_points(report, category):
    """The audits that cost ``category`` points: {audit id: Lighthouse's explanation}."""
    lost = {}
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            lost[ref["id"]] = audit.get("explanation") or audit["title"]
    return lost


def test_lighthouse_scores(site_with_media, tmp_path):
    _require(LIGHTHOUSE, "Lighthouse (npm)")
    _require(CHROMIUM, "Debian's chromium")
    from blog.models import Article
    from comments.selectors import public_comments

    article = Article.objects.get(slug=WITH_COMMENTS)
    assert public_comments().filter(object_pk=str(article.pk)).exists()
    published = article.published_at.astimezone()
    pages = {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": article.category.get_absolute_url(),
        "keyword": reverse("blog:tag_detail", kwargs={"slug": article.tags.first().slug}),
        "author": reverse("blog:author_detail", kwargs={"username": article.author.get_username()}),
        "month": reverse("blog:archive_month", kwargs={"year": published.year, "month": published.month}),
        "static page": "/a-propos/",
        "search": "/recherche/?q=communaut%C3%A9",
    }
    problems = {}
    for name, page_path in pages.items():
        report = lighthouse(site_with_media + page_path, tmp_path / f"{name}.json")
        scores = {key: report["categories"][key]["score"] for key in CATEGORIES}
        print(f"Lighthouse {name}: {scores}")
        if scores["performance"] < AIMED_PERFORMANCE:
            print(f"  performance below {AIMED_PERFORMANCE} on {name}: {lost_points(report, 'performance')}")
        requests = report["audits"]["network-requests"]["details"]["items"]
        hosts = {urlsplit(item["url"]).hostname for item in requests if item["url"].startswith("http")}
        assert hosts == {urlsplit(site_with_media).hostname}, f"{name}: requests to {hosts}"
        for category in STRICT:
            lost = lost_points(report, category)
            if category == "seo":
                for audit in NOT_INDEXED_ON_PURPOSE.get(name, ()):
                    assert audit in lost, f"{name} was meant to be kept out of search engines"
                    lost.pop(audit)
            if lost:
                problems[(name, category)] = lost
    assert problems == {}
