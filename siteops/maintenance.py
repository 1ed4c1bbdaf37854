"""The operator's routine jobs: closing old discussions, purging spam, checking links.

Each writes nothing in ``dry_run`` mode and returns what it did (or would do),
for the commands to report.
"""

import datetime
import threading
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment

from blog.models import Article
from caching.invalidation import article_key, purge

USER_AGENT = "Mozilla/5.0 (compatible; blog link checker)"


# Comments -------------------------------------------------------------------


@transaction.atomic
def comments_close_old(*, days: int, dry_run: bool = False) -> list[Article]:
    """Close the discussion on public articles published more than ``days`` days ago.

    Returns the articles concerned (closed, or that would be with ``dry_run``).
    """
    cutoff = timezone.now() - datetime.timedelta(days=days)
    articles = list(
        Article.objects.published()
        .filter(comments_enabled=True, published_at__lt=cutoff)
        .order_by("published_at")
        .only("pk", "title", "published_at")
    )
    if not dry_run and articles:
        Article.objects.filter(pk__in=[a.pk for a in articles]).update(comments_enabled=False)
        # update() sends no signal: the pages that show these forms are stale now.
        purge(*(article_key(article.pk) for article in articles))
    return articles


@dataclass
class PurgeReport:
    deleted: int = 0
    kept_with_replies: int = 0


@transaction.atomic
def comments_purge_spam(*, older_than_days: int, dry_run: bool = False) -> PurgeReport:
    """Delete removed comments (spam and trash) submitted more than ``older_than_days`` ago.

    A removed comment that still has visible replies is kept: deleting it would
    orphan them and they would vanish from the thread. The ancestors' reply
    counts are corrected for what is deleted.
    """
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    doomed = set(
        XtdComment.objects.filter(is_removed=True, submit_date__lt=cutoff).values_list("pk", flat=True)
    )
    candidates = len(doomed)
    # Replies (other than the root's link to itself) of what is to be deleted.
    replies = list(
        XtdComment.objects.filter(parent_id__in=doomed)
        .exclude(pk=F("parent_id"))
        .values_list("pk", "parent_id")
    )
    changed = True
    while changed:
        kept = {parent for pk, parent in replies if parent in doomed and pk not in doomed}
        changed = bool(kept)
        doomed -= kept
    report = PurgeReport(deleted=len(doomed), kept_with_replies=candidates - len(doomed))
    if dry_run or not doomed:
        return report
    threads = set(XtdComment.objects.filter(pk__in=doomed).values_list("thread_id", flat=True))
    parents = dict(XtdComment.objects.filter(thread_id__in=threads).values_list("pk", "parent_id"))
    lost = Counter()
    for pk in doomed:
        ancestor = parents.get(pk)
        while ancestor is not None and ancestor != pk and ancestor in parents:
            if ancestor not in doomed:
                lost[ancestor] += 1
            if parents[ancestor] == ancestor:
                break
            pk, ancestor = ancestor, parents[ancestor]
    XtdComment.objects.filter(pk__in=doomed).delete()
    for pk, count in lost.items():
        XtdComment.objects.filter(pk=pk).update(nested_count=F("nested_count") - count)
    return report


# Links ----------------------------------------------------------------------


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []

    def handle_starttag(self, tag, attrs):
        wanted = {"a": "href", "img": "src", "source": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.links.append(value.strip())


def extract_links(html: str) -> list[str]:
    """The absolute web addresses an article's body links to or shows, without fragments."""
    parser = _LinkParser()
    parser.feed(html or "")
    links = []
    for link in parser.links:
        url = urldefrag(link).url
        if urlsplit(url).scheme in ("http", "https") and url not in links:
            links.append(url)
    return links


@dataclass
class LinkResult:
    url: str
    ok: bool
    reason: str


def fetch_url(url: str, *, timeout: float) -> LinkResult:
    """Check one address: HEAD first, GET when the server refuses HEAD. Redirects are followed."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only)
                return LinkResult(url, True, str(response.status))
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue
            return LinkResult(url, False, f"{error.code} {error.reason}")
        except (OSError, ValueError) as error:  # URLError and timeouts are OSErrors
            reason = getattr(error, "reason", error)
            return LinkResult(url, False, str(reason))
    return LinkResult(url, False, "?")


@dataclass
class LinkReport:
    articles: int = 0
    links: int = 0
    # (article, url, reason) for each broken link, in article order.
    broken: list = field(default_factory=list)

    def lines(self) -> list[str]:
        """The broken links, grouped under their article: what the command prints and the e-mail says."""
        lines, current = [], None
        for article, url, reason in self.broken:
            if article != current:
                current = article
                lines.append(f"{article.title} ({article.get_absolute_url()})")
            lines.append(f"  {url}: {reason}")
        return lines

    def summary(self) -> str:
        return _("%(links)d links checked in %(articles)d articles, %(broken)d broken.") % {
            "links": self.links,
            "articles": self.articles,
            "broken": len(self.broken),
        }

    def as_data(self) -> dict:
        """The report as JSON-ready data (a task's stored result)."""
        return {
            "articles": self.articles,
            "links": self.links,
            "broken": [
                {"article": article.get_absolute_url(), "title": article.title, "url": url, "reason": reason}
                for article, url, reason in self.broken
            ],
        }


def links_check(*, workers: int = 8, timeout: float = 10, fetch=None, progress=None) -> LinkReport:
    """Check every link in the public articles' bodies, ``workers`` at a time.

    Each address is fetched once however many articles use it. ``fetch(url,
    timeout=…)`` returns a ``LinkResult`` (the tests give their own).
    """
    fetch = fetch or fetch_url
    progress = progress or (lambda done, total: None)
    report = LinkReport()
    by_article = []
    for article in Article.objects.published().only(
        "pk", "title", "slug", "body", "publication_date", "published_at"
    ):
        links = extract_links(article.body)
        report.articles += 1
        if links:
            by_article.append((article, links))
    urls = list(dict.fromkeys(url for _article, links in by_article for url in links))
    report.links = len(urls)
    results, done, lock = {}, 0, threading.Lock()

    def check(url):
        nonlocal done
        result = fetch(url, timeout=timeout)
        with lock:
            done += 1
            progress(done, len(urls))
        return result

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for result in pool.map(check, urls):
            results[result.url] = result
    for article, links in by_article:
        for url in links:
            result = results[url]
            if not result.ok:
                report.broken.append((article, url, result.reason))
    return report
