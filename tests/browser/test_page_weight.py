"""What a reader downloads to open an article of the demo blog, images aside: its HTML, and
our own CSS, scripts and fonts (there is no web font), counted in chromium on a real page load.

In production WhiteNoise sends the static files compressed (gzip or Brotli, whichever the
browser takes); the HTML comes from Django as it is, unless a proxy compresses it. The test
server sends everything uncompressed, so each static file is counted as gzip would send it
(Brotli is smaller still) and the HTML as it left Django: the worst case of production.
"""

import gzip
from urllib.parse import urlsplit

from blog.models import Article
from comments.selectors import public_comments

BUDGET = 50 * 1024
ARTICLE = "communication-de-crise-la-premiere-heure"
COUNTED = {"document", "stylesheet", "script", "font", "fetch", "xhr"}


def test_article_page_weighs_less_than_50_kb(demo_site, page):
    article = Article.objects.get(slug=ARTICLE)
    assert public_comments().filter(object_pk=str(article.pk)).exists()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(demo_site + article.get_absolute_url())
    page.wait_for_load_state("networkidle")

    origin = urlsplit(demo_site).netloc
    rows = []
    for request in finished:
        response = request.response()
        assert urlsplit(request.url).netloc == origin, f"outside request: {request.url}"
        if request.resource_type not in COUNTED or response is None:
            continue
        sizes = request.sizes()
        body = response.body()
        sent = sizes["responseBodySize"]
        if request.resource_type != "document" and "content-encoding" not in response.headers:
            sent = len(gzip.compress(body, compresslevel=9))
        rows.append((request.resource_type, urlsplit(request.url).path, sizes["responseHeadersSize"], sent))

    assert {kind for kind, *_ in rows} >= {"document", "stylesheet", "script"}
    total = sum(headers + body for *_, headers, body in rows)
    for kind, path, headers, body in rows:
        print(f"{kind:10} {body + headers:6} B  ({headers} B of headers)  {path}")
    print(f"Article page, images aside: {total / 1024:.1f} KB (budget {BUDGET // 1024} KB)")
    assert total <= BUDGET
