#!/usr/bin/env python3
"""Load and fault test against gunicorn with the production settings, on 127.0.0.1 only.

It sets up a throw-away site (migrated database, collected static files, a few
articles), starts gunicorn on a free loopback port, then:

1. load: concurrent readers browse the public pages while concurrent posters
   send comments through the real form (when the site has one). Anonymous
   comments wait for their e-mailed confirmation link: the mails are written
   to files, and every link is opened. Afterwards the database is read: every
   comment the site accepted must be stored, none that it refused with 429 may
   be, and no answer may be a 5xx.
2. faults (``--faults``): with Redis unreachable and the mail server down, the
   pages still answer 200 and a comment posted is kept; then the database goes
   away (the SQLite file is moved, or the private PostgreSQL cluster is stopped):
   pages and /healthz answer 503 with the plain 503 page; the database comes
   back and the site answers 200 again without a restart.

Every loop is bounded by a request count and by ``--max-seconds``.

    python scripts/loadtest.py --small --faults                 # CI size, SQLite
    python scripts/loadtest.py --database private-postgres --faults
    python scripts/loadtest.py --database-url postgres://postgres@127.0.0.1:5432/blog_load

``--database-url`` must name a database that may be emptied (it is migrated and
filled with test articles); the shared server itself is never stopped.
"""

import argparse
import html.parser
import http.client
import http.cookies
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PG_BIN = Path("/usr/lib/postgresql")

SEED = """
import datetime
from django.contrib.auth import get_user_model
from django.utils import timezone
from blog.models import Article, Category
author, _ = get_user_model().objects.get_or_create(username="redaction", defaults={"first_name": "Camille"})
categories = [Category.objects.get_or_create(slug=f"rubrique-{n}", defaults={"name": f"Rubrique {n}"})[0]
              for n in range(3)]
now = timezone.now()
for n in range(ARTICLE_COUNT):
    article, created = Article.objects.get_or_create(
        slug=f"article-de-charge-{n}",
        defaults=dict(
            title=f"Article de charge {n}", author=author, category=categories[n % 3],
            excerpt="Un résumé.", body="<p>" + "Du texte pour remplir la page. " * 40 + "</p>",
            status=Article.Status.PUBLISHED, published_at=now - datetime.timedelta(hours=n + 1),
        ),
    )
    if created:
        article.tags.add("Réseaux sociaux", f"Thème {n % 4}")
"""

SQLITE_MODE = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    print(mode, cursor.fetchone()[0])
"""

COUNT_STORED = """
import django_comments, json
model = django_comments.get_model()
print(json.dumps(list(model.objects.filter(comment__contains="MARKER").values_list("comment", flat=True))))
"""


CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/commentaires/confirm/[^\s]+/)")


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class FormParser(html.parser.HTMLParser):
    """Finds the comment form (the one posting to a comments address) and its fields' values."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.fields = {}
        self.links = []
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href", "").startswith("/"):
            self.links.append(attrs["href"])
        if tag == "form" and "comment" in (attrs.get("action") or "") and self.action is None:
            self.action = attrs["action"]
            self._in_form = True
        elif self._in_form and tag in ("input", "textarea") and attrs.get("name"):
            if attrs.get("type") in ("submit", "button", "reset", "image"):
                return  # a "preview" button would turn the post into a preview
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False


class Site:
    """A throw-away production-like site: settings from the environment, gunicorn on a free port."""

    def __init__(self, args, workdir):
        self.args = args
        self.workdir = workdir
        self.port = free_port()
        self.process = None
        self.pg_dir = None
        self.database_url = args.database_url
        self.mail_dir = workdir / "mail"
        self.sqlite_mode = None
        if args.database == "private-postgres":
            self.database_url = self.start_private_postgres()
        elif not self.database_url:
            self.database_url = f"sqlite:///{workdir / 'db.sqlite3'}"

    # -- environment ---------------------------------------------------------------
    def env(self, **extra):
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL", "TASKS_"))
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.production",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": HOST,
                "DATABASE_URL": self.database_url,
                "DJANGO_STATIC_ROOT": str(self.workdir / "static"),
                # As behind a TLS-terminating proxy: it sets X-Forwarded-Proto and -For.
                "DJANGO_SECURE_PROXY_SSL_HEADER": "true",
                "DJANGO_TRUSTED_PROXY_COUNT": "1",
                "DJANGO_LOG_LEVEL": "WARNING",
                "COMMENTS_XTD_SALT": secrets.token_urlsafe(40),
                # The posters send the form as soon as the page is loaded, like no reader would.
                "COMMENTS_MIN_SUBMIT_SECONDS": "0",
                # An absolute path needs four slashes with django-environ.
                "EMAIL_URL": f"filemail:///{self.mail_dir}",
                # The e-mails leave from gunicorn itself (no worker here): the posters'
                # confirmation links are read as soon as the POST is answered.
                "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            }
        )
        # Production needs a cache shared by the workers: Redis when given, else files.
        env["CACHE_URL"] = self.args.cache_url or f"filecache:///{self.workdir / 'cache'}"
        env.update(extra)
        return env

    def manage(self, *command, stdin=None, env=None):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            env=env or self.env(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise SystemExit(f"manage.py {' '.join(command)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def prepare(self):
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self.manage("shell", stdin=SEED.replace("ARTICLE_COUNT", str(self.args.articles)))
        if self.database_url.startswith("sqlite"):
            # As each gunicorn worker's connections will be: WAL, and a busy timeout in ms.
            self.sqlite_mode = self.manage("shell", stdin=SQLITE_MODE).strip().splitlines()[-1]

    # -- gunicorn ------------------------------------------------------------------
    def start(self, **extra_env):
        log = open(self.workdir / "gunicorn.log", "a")  # noqa: SIM115 (kept open for the server's life)
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "config.wsgi",
                "--bind", f"{HOST}:{self.port}",
                "--workers", str(self.args.workers),
                "--threads", "2",
                "--timeout", "30",
                "--graceful-timeout", "5",
            ],
            cwd=BASE_DIR,
            env=self.env(**extra_env),
            stdout=log,
            stderr=log,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited early, see {self.workdir / 'gunicorn.log'}")
            try:
                if request("GET", self.port, "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not become healthy within 60 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    # -- private PostgreSQL cluster (never the shared server) ------------------------
    def pg_tool(self, name):
        return str(sorted(PG_BIN.glob(f"*/bin/{name}"))[-1])

    def as_postgres(self, *command):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(prefix + list(command), capture_output=True, text=True, timeout=120)

    def start_private_postgres(self):
        self.pg_dir = Path(tempfile.mkdtemp(prefix="loadtest-pg-"))
        shutil.chown(self.pg_dir, "postgres") if os.geteuid() == 0 else None
        self.pg_port = free_port()
        result = self.as_postgres(
            self.pg_tool("initdb"), "-D", str(self.pg_dir / "data"), "-A", "trust", "-U", "postgres"
        )
        if result.returncode:
            raise SystemExit(f"initdb failed: {result.stderr}")
        self.pg_ctl("start")
        self.as_postgres(
            self.pg_tool("createdb"), "-h", HOST, "-p", str(self.pg_port), "-U", "postgres", "blog"
        )
        return f"postgres://postgres@{HOST}:{self.pg_port}/blog"

    def pg_ctl(self, action):
        options = f"-p {self.pg_port} -k {self.pg_dir} -c listen_addresses={HOST} -c max_connections=60"
        result = self.as_postgres(
            self.pg_tool("pg_ctl"), action, "-D", str(self.pg_dir / "data"), "-w", "-m", "fast",
            "-l", str(self.pg_dir / "server.log"), "-o", options,
        )  # fmt: skip
        if result.returncode:
            raise SystemExit(f"pg_ctl {action} failed: {result.stderr}{result.stdout}")

    def database_down(self):
        if self.pg_dir:
            self.pg_ctl("stop")
            return
        path = Path(urllib.parse.urlparse(self.database_url).path)
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{path}{suffix}")
            if source.exists():
                source.rename(f"{source}.away")

    def database_up(self):
        if self.pg_dir:
            self.pg_ctl("start")
            return
        path = Path(urllib.parse.urlparse(self.database_url).path)
        for suffix in ("", "-wal", "-shm"):
            # SQLite made an empty file when asked for the missing one: drop it.
            Path(f"{path}{suffix}").unlink(missing_ok=True)
            away = Path(f"{path}{suffix}.away")
            if away.exists():
                away.rename(f"{path}{suffix}")

    def cleanup(self):
        self.stop()
        if self.pg_dir:
            self.as_postgres(
                self.pg_tool("pg_ctl"), "stop", "-D", str(self.pg_dir / "data"), "-m", "immediate"
            )
            shutil.rmtree(self.pg_dir, ignore_errors=True)

    def confirmation_links(self):
        """The confirmation addresses (paths) of every e-mail the site wrote so far."""
        links = set()
        for path in sorted(self.mail_dir.glob("*.log")) if self.mail_dir.exists() else []:
            links.update(CONFIRM_LINK.findall(path.read_text(encoding="utf-8", errors="replace")))
        return sorted(links)

    def stored_comments(self, marker):
        try:
            output = self.manage("shell", stdin=COUNT_STORED.replace("MARKER", marker))
        except SystemExit:
            return None
        return set(json.loads(output.strip().splitlines()[-1]))


def request(method, port, path, body=None, headers=None, client_ip="203.0.113.1", timeout=15):
    """One HTTP request as a TLS-terminating proxy would pass it on; returns (status, headers, text)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    all_headers = {
        "Host": HOST,
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": client_ip,
        "User-Agent": "blog-loadtest",
    }
    all_headers.update(headers or {})
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.latencies = []
        self.errors = Counter()
        self.posts = Counter()
        self.accepted = set()
        self.refused_429 = set()

    def record(self, status, seconds):
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)


def timed(stats, *args, **kwargs):
    start = time.perf_counter()
    try:
        status, headers, text = request(*args, **kwargs)
    except OSError as error:
        with stats.lock:
            stats.errors[type(error).__name__] += 1
        return None, None, ""
    stats.record(status, time.perf_counter() - start)
    return status, headers, text


def reader(port, paths, count, deadline, stats, seed):
    rng = random.Random(seed)
    for _ in range(count):
        if time.monotonic() > deadline:
            return
        timed(stats, "GET", port, rng.choice(paths), client_ip=f"203.0.113.{rng.randint(1, 250)}")


def post_comment(port, article_path, text, stats, client_ip):
    """Loads the article, fills its comment form like a browser, posts it. Returns the status."""
    status, headers, page = timed(stats, "GET", port, article_path, client_ip=client_ip)
    if status != 200:
        return status
    form = FormParser()
    form.feed(page)
    if not form.action:
        return None
    cookies = http.cookies.SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        cookies.load(value)
    fields = dict(form.fields)
    if not fields.get("timestamp"):
        # As comments.js does on a shared page: this reader's signed timestamp.
        status, _, values = timed(
            stats, "GET", port, f"/commentaires/champs/{fields.get('object_pk')}/", client_ip=client_ip
        )
        if status != 200:
            return status
        fields.update({name: value for name, value in json.loads(values).items() if value})
    fields.update({"name": "Lecteur de charge", "email": "charge@example.org", "url": "", "comment": text})
    if "csrftoken" in cookies and "csrfmiddlewaretoken" not in fields:
        fields["csrfmiddlewaretoken"] = cookies["csrftoken"].value
    body = urllib.parse.urlencode(fields)
    post_headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{key}={morsel.value}" for key, morsel in cookies.items()),
        "Origin": f"https://{HOST}",
        "Referer": f"https://{HOST}{article_path}",
    }
    status, _, _ = timed(
        stats, "POST", port, form.action, body=body, headers=post_headers, client_ip=client_ip
    )
    return status


def poster(port, articles, count, deadline, stats, marker, seed, client_ip):
    rng = random.Random(seed)
    for n in range(count):
        if time.monotonic() > deadline:
            return
        text = f"Commentaire {marker}-{seed}-{n}: très intéressant."
        status = post_comment(port, rng.choice(articles), text, stats, client_ip)
        with stats.lock:
            stats.posts[status] += 1
            if status in (301, 302, 303):
                stats.accepted.add(text)
            elif status == 429:
                stats.refused_429.add(text)


def discover(port):
    """The site's public addresses, found by following the home page's links."""
    _, _, home = request("GET", port, "/")
    parser = FormParser()
    parser.feed(home)
    links = sorted(
        {link.split("#")[0] for link in parser.links if not link.startswith(("/static/", "/media/"))}
    )
    articles = [link for link in links if re.match(r"^/\d{4}/\d{2}/\d{2}/[^/]+/$", link)]
    return ["/", "/?page=2", *links], articles


def run_load(site, args):
    paths, articles = discover(site.port)
    if not articles:
        raise SystemExit("no article found on the home page")
    form = FormParser()
    form.feed(request("GET", site.port, articles[0])[2])
    has_form = form.action is not None
    stats = Stats()
    marker = secrets.token_hex(4)
    deadline = time.monotonic() + args.max_seconds
    threads = [
        threading.Thread(target=reader, args=(site.port, paths, args.requests, deadline, stats, n))
        for n in range(args.readers)
    ]
    if has_form:
        # Half the posters share one address (to meet the rate limit), the others have their own.
        threads += [
            threading.Thread(
                target=poster,
                args=(site.port, articles, args.posts, deadline, stats, marker, n,
                      "198.51.100.1" if n % 2 == 0 else f"198.51.100.{n + 10}"),
            )
            for n in range(args.posters)
        ]  # fmt: skip
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.max_seconds + 30)
    elapsed = time.perf_counter() - started
    # The anonymous posters open their confirmation e-mails (bounded by the posts sent).
    links = site.confirmation_links()[: args.posters * args.posts]
    confirmed = Counter(request("GET", site.port, link, client_ip="203.0.113.200")[0] for link in links)

    report = {
        "database": site.database_url.split("://")[0],
        "sqlite_journal_mode_and_busy_timeout_ms": site.sqlite_mode,
        "workers": args.workers,
        "readers": args.readers,
        "posters": args.posters if has_form else 0,
        "requests": sum(stats.statuses.values()),
        "seconds": round(elapsed, 1),
        "requests_per_second": round(sum(stats.statuses.values()) / elapsed, 1),
        "statuses": dict(sorted(stats.statuses.items())),
        "connection_errors": dict(stats.errors),
        "latency_ms": latency_figures(stats.latencies),
        "comment_form_found": has_form,
        "confirmation_links_opened": dict(confirmed),
    }
    problems = []
    if site.sqlite_mode and not site.sqlite_mode.startswith("wal "):
        problems.append(f"SQLite is not in WAL mode: {site.sqlite_mode}")
    five_xx = sum(count for status, count in stats.statuses.items() if status >= 500)
    if five_xx:
        problems.append(f"{five_xx} answers were 5xx")
    if any(status >= 400 for status in confirmed):
        problems.append(f"confirmation links answered {dict(confirmed)}")
    if stats.errors:
        problems.append(f"connection errors: {dict(stats.errors)}")
    if has_form:
        stored = site.stored_comments(marker) or set()
        report["posts"] = {str(k): v for k, v in stats.posts.items()}
        report["comments_accepted"] = len(stats.accepted)
        report["comments_refused_429"] = len(stats.refused_429)
        report["comments_stored"] = len(stored)
        missing = stats.accepted - stored
        leaked = stats.refused_429 & stored
        if not stats.accepted and not stats.refused_429:
            problems.append("no comment was accepted nor rate-limited: the form was refused every time")
        if missing:
            problems.append(f"{len(missing)} accepted comments are missing from the database")
        if leaked:
            problems.append(f"{len(leaked)} comments answered 429 were stored anyway")
    return report, problems


def latency_figures(latencies):
    if not latencies:
        return {}
    ordered = sorted(latencies)
    return {
        "p50": round(statistics.median(ordered) * 1000, 1),
        "p95": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 1),
        "max": round(ordered[-1] * 1000, 1),
    }


def run_faults(site, args):
    """Redis and mail server unreachable from the start; then the database goes away and comes back."""
    problems = []
    report = {}
    dead = free_port()
    site.stop()
    site.start(CACHE_URL=f"redis://{HOST}:{free_port()}/8", EMAIL_URL=f"smtp://{HOST}:{dead}")
    paths, articles = discover(site.port)
    statuses = Counter(request("GET", site.port, path)[0] for path in paths[:8] + ["/healthz"])
    report["redis_and_mail_down"] = dict(statuses)
    if set(statuses) != {200}:
        problems.append(f"with Redis and the mail server down: {dict(statuses)}")
    stats = Stats()
    marker = secrets.token_hex(4)
    text = f"Commentaire {marker}: le serveur de courrier est en panne."
    status = post_comment(site.port, articles[0], text, stats, "198.51.100.99")
    if status is not None:
        stored = site.stored_comments(marker) or set()
        report["comment_with_mail_down"] = {"status": status, "stored": text in stored}
        if status >= 500 or text not in stored:
            problems.append(
                f"comment posted with the mail server down: status {status}, stored {text in stored}"
            )

    site.database_down()
    down = Counter()
    for path in ["/", articles[0], "/healthz", "/"]:
        status, headers, page = request("GET", site.port, path)
        down[status] += 1
        if status != 503 or "Traceback" in page:
            problems.append(f"database down: {path} answered {status}")
        elif path != "/healthz" and headers.get("Retry-After") is None:
            problems.append(f"database down: {path} has no Retry-After")
    report["database_down"] = dict(down)
    site.database_up()
    up = Counter()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = request("GET", site.port, "/healthz")[0]
        if status == 200:
            break
        time.sleep(0.5)
    for path in ["/", articles[0], "/healthz"]:
        up[request("GET", site.port, path)[0]] += 1
    report["database_back"] = dict(up)
    if set(up) != {200}:
        problems.append(f"after the database came back: {dict(up)}")
    return report, problems


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "private-postgres"], default="sqlite")
    parser.add_argument("--database-url", help="an existing, disposable database instead")
    parser.add_argument("--cache-url", help="e.g. redis://127.0.0.1:6379/8 (default: local memory)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--posters", type=int, default=4)
    parser.add_argument("--requests", type=int, default=150, help="requests per reader")
    parser.add_argument("--posts", type=int, default=15, help="comments per poster")
    parser.add_argument("--articles", type=int, default=25)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument(
        "--small", action="store_true", help="CI size: 2 workers, 4 readers x 40, 2 posters x 6"
    )
    parser.add_argument("--faults", action="store_true", help="also run the fault scenarios")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, database)")
    args = parser.parse_args()
    if args.small:
        args.workers, args.readers, args.requests, args.posters, args.posts = 2, 4, 40, 2, 6
        args.max_seconds = min(args.max_seconds, 60)

    workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))
    site = Site(args, workdir)
    problems = []
    try:
        site.prepare()
        site.start()
        report, found = run_load(site, args)
        problems += found
        if args.faults:
            report["faults"], found = run_faults(site, args)
            problems += found
    finally:
        site.cleanup()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        return 1
    if report.get("comment_form_found"):
        print("OK: no 5xx, every accepted comment stored, no rate-limited comment stored")
    else:
        print("OK: no 5xx (no comment form on the article pages: no comment was posted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
