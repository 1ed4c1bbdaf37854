import datetime
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django_comments_xtd.models import XtdComment

from blog.models import Article
from siteops.maintenance import LinkResult, extract_links, links_check
from tests.factories import ArticleFactory


def run(name, *args):
    out = StringIO()
    with translation.override("en"):
        call_command(name, *args, stdout=out)
    return out.getvalue()


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


# close_old_comments ----------------------------------------------------------


@pytest.fixture
def articles_of_all_ages(db):
    return {
        "old": ArticleFactory(title="Ancien", published_at=days_ago(200)),
        "recent": ArticleFactory(title="Récent", published_at=days_ago(10)),
        "old_draft": ArticleFactory(title="Vieux brouillon", draft=True, published_at=days_ago(200)),
        "already_closed": ArticleFactory(
            title="Déjà fermé", published_at=days_ago(300), comments_enabled=False
        ),
    }


def open_titles():
    return set(Article.objects.filter(comments_enabled=True).values_list("title", flat=True))


def test_close_old_comments_uses_the_setting(articles_of_all_ages, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 90
    output = run("close_old_comments")
    assert open_titles() == {"Récent", "Vieux brouillon"}
    assert "Comments closed on 1 article published more than 90 days ago." in output


def test_close_old_comments_days_option(articles_of_all_ages):
    run("close_old_comments", "--days", "5")
    assert open_titles() == {"Vieux brouillon"}


def test_close_old_comments_dry_run(articles_of_all_ages):
    output = run("close_old_comments", "--dry-run", "--verbosity", "2")
    assert "Ancien" in output and "would be closed on 1 article" in output
    assert open_titles() == {"Ancien", "Récent", "Vieux brouillon"}


def test_close_old_comments_refuses_negative_days(db):
    with pytest.raises(CommandError, match="zero or more"):
        run("close_old_comments", "--days", "-1")


# purge_spam ------------------------------------------------------------------


@pytest.fixture
def comments(db, make_comment, thread_levels):
    thread_levels(3)
    article = ArticleFactory()
    root = make_comment(article, "Question", days_ago=100)
    spam_reply = make_comment(
        article, "Spam en réponse", parent=root, removed=True, public=False, days_ago=90
    )
    removed_with_reply = make_comment(article, "Retiré mais discuté", removed=True, days_ago=80)
    make_comment(article, "Réponse visible", parent=removed_with_reply, days_ago=70)
    removed_thread = make_comment(article, "Spam racine", removed=True, public=False, days_ago=60)
    make_comment(article, "Spam sous spam", parent=removed_thread, removed=True, public=False, days_ago=60)
    make_comment(article, "Spam récent", removed=True, public=False, days_ago=2)
    make_comment(article, "En attente", public=False, days_ago=100)
    root.refresh_from_db()
    assert root.nested_count == 1 and spam_reply.level == 1
    return article


def texts():
    return set(XtdComment.objects.values_list("comment", flat=True))


def test_purge_spam_deletes_old_removed_comments(comments):
    output = run("purge_spam", "--older-than", "30")
    assert texts() == {"Question", "Retiré mais discuté", "Réponse visible", "Spam récent", "En attente"}
    assert (
        "3 removed comments older than 30 days were deleted. 1 was kept because it has visible replies."
        in output
    )
    # The parent's reply count no longer counts the deleted spam.
    assert XtdComment.objects.get(comment="Question").nested_count == 0


def test_purge_spam_dry_run(comments):
    before = texts()
    output = run("purge_spam", "--older-than", "30", "--dry-run")
    assert "Dry run: 3 removed comments" in output
    assert texts() == before


def test_purge_spam_default_keeps_the_last_month(comments):
    run("purge_spam")
    assert "Spam récent" in texts()


def test_purge_spam_refuses_negative_days(db):
    with pytest.raises(CommandError, match="zero or more"):
        run("purge_spam", "--older-than", "-3")


# check_links -----------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.answer(with_body=False)

    def do_GET(self):
        self.answer(with_body=True)

    def answer(self, *, with_body):
        if self.path == "/no-head" and not with_body:
            self.send_response(405)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path in ("/ok", "/no-head"):
            self.send_response(200)
        elif self.path == "/error":
            self.send_response(500)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_extract_links():
    body = (
        '<p><a href="https://e.org/a#part">a</a> <a href="/interne/">i</a> <a href="mailto:x@e.org">m</a>'
        '<img src="http://e.org/i.png"> <a href="https://e.org/a">again</a></p>'
    )
    assert extract_links(body) == ["https://e.org/a", "http://e.org/i.png"]


def test_check_links_reports_broken_ones(db, local_server):
    ArticleFactory(
        title="Avec liens",
        body=(
            f'<p><a href="{local_server}/ok">ok</a> <a href="{local_server}/missing">404</a> '
            f'<a href="{local_server}/no-head">HEAD refusé</a> <a href="{local_server}/moved">déplacé</a> '
            f'<a href="{local_server}/error">500</a> <a href="http://127.0.0.1:1/">fermé</a></p>'
        ),
    )
    ArticleFactory(title="Brouillon", draft=True, body=f'<a href="{local_server}/draft-missing">x</a>')
    output = run("check_links", "--workers", "3", "--timeout", "5")
    assert "Avec liens (" in output
    assert f"{local_server}/missing: 404" in output
    assert f"{local_server}/error: 500" in output
    assert "http://127.0.0.1:1/:" in output
    assert f"{local_server}/ok:" not in output
    assert f"{local_server}/no-head:" not in output
    assert f"{local_server}/moved:" not in output
    assert "draft-missing" not in output
    assert "6 links checked in 1 articles, 3 broken." in output


def test_each_address_is_checked_once_with_bounded_concurrency(db):
    for number in range(6):
        ArticleFactory(body=f'<a href="https://e.org/{number}">x</a> <a href="https://e.org/shared">y</a>')
    lock, active, seen = threading.Lock(), [0, 0], []

    def fake_fetch(url, *, timeout):
        with lock:
            active[0] += 1
            active[1] = max(active[1], active[0])
            seen.append(url)
        time.sleep(0.01)  # lets calls overlap; nothing depends on how long it takes
        with lock:
            active[0] -= 1
        return LinkResult(url, url.endswith("/3"), "timed out")

    report = links_check(workers=2, timeout=1, fetch=fake_fetch)
    assert sorted(seen) == sorted({*(f"https://e.org/{n}" for n in range(6)), "https://e.org/shared"})
    assert active[1] <= 2
    assert report.links == 7
    assert len(report.broken) == 6 + 5  # every "shared" use, and the five other addresses


def test_check_links_refuses_bad_options(db):
    with pytest.raises(CommandError, match="--workers"):
        run("check_links", "--workers", "0")
    with pytest.raises(CommandError, match="--timeout"):
        run("check_links", "--timeout", "0")
