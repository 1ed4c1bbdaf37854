"""A throw-away site behind a real Varnish, started once for the HTTP cache tests.

As in production: the production settings read from the environment, a
migrated SQLite file (WAL), collected static files, gunicorn on a free loopback
port, and Debian's varnishd on another one, running the shipped
``deploy/varnish/default.vcl`` pointed at gunicorn. Django's own page cache is
off, so what is cached is Varnish's doing; Django sends its purges to this
Varnish (``HTTP_CACHE_PURGE_URLS``).

The tests talk HTTP to 127.0.0.1 only, as the TLS terminator in front of
Varnish would (``X-Forwarded-Proto: https``, the reader's address in
``X-Forwarded-For``), and write the way an operator would: ``manage.py shell``
with the site's environment. They never use pytest-django's test database.

Without varnishd or the xkey vmod the tests are skipped on a developer's
machine, with the reason, and fail in CI (``CI`` set).
"""

import html.parser
import http.client
import http.cookies
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import NamedTuple

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
VCL_TEMPLATE = BASE_DIR / "deploy" / "varnish" / "default.vcl"
HOST = "127.0.0.1"
# The line of the template that names gunicorn's port; the tests replace it.
BACKEND_PORT_LINE = '.port = "8000";'
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/commentaires/confirm/[^\s\"<>]+/)")
STAFF_PASSWORD = secrets.token_urlsafe(16)
STARTUP_SECONDS = 60
STOP_SECONDS = 15

# Articles by role, newest first: each test works on its own ones, so that one
# test's purges never decide another's hits. Each has its own category and no
# tag, so that no article page lists another as "related".
ROLES = ["edited", "cached", "shared", "form", "logged_in", "neighbour", "spare", "commented"]

SEED = """
import datetime, json
from django.contrib.auth import get_user_model
from django.utils import timezone
from blog.models import Article, Category
User = get_user_model()
author = User.objects.create_user(username="redaction", first_name="Camille", email="redaction@example.org")
User.objects.create_user(
    username="editrice", first_name="Sacha", email="editrice@example.org",
    password=STAFF_PASSWORD, is_staff=True,
)
now = timezone.now()
seeded = {}
for n, role in enumerate(ROLES + ["draft"]):
    category = Category.objects.create(slug=f"rubrique-{role}", name=f"Rubrique {role}")
    draft = role == "draft"
    article = Article.objects.create(
        slug=f"article-{role}", title=f"Article {role}", author=author, category=category,
        excerpt="Un résumé.", body="<p>" + "Du texte pour remplir la page. " * 20 + "</p>",
        status=Article.Status.DRAFT if draft else Article.Status.PUBLISHED,
        published_at=None if draft else now - datetime.timedelta(hours=n + 1),
    )
    seeded[role] = {"pk": article.pk, "url": None if draft else article.get_absolute_url()}
print(json.dumps(seeded))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def varnishd_path():
    return shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")


def render_vcl(target: Path, backend_port: int) -> Path:
    """The shipped VCL with gunicorn's port in place of the template's 8000."""
    template = VCL_TEMPLATE.read_text(encoding="utf-8")
    assert template.count(BACKEND_PORT_LINE) == 1, f"{VCL_TEMPLATE} must name its backend port once"
    target.write_text(template.replace(BACKEND_PORT_LINE, f'.port = "{backend_port}";'), encoding="utf-8")
    return target


def compile_vcl(vcl: Path, workdir: Path) -> subprocess.CompletedProcess:
    """``varnishd -C``: compiles the VCL (and loads its vmods) without starting anything."""
    return subprocess.run(
        [varnishd_path(), "-C", "-j", "none", "-n", str(workdir), "-f", str(vcl)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def require_compiled(vcl: Path, workdir: Path):
    """Compiles ``vcl``: skips (fails in CI) without the xkey vmod, fails on any other error."""
    result = compile_vcl(vcl, workdir)
    if result.returncode == 0:
        return
    message = f"varnishd could not compile {vcl}:\n{result.stderr[-3000:]}"
    if "Could not find VMOD xkey" in result.stderr and not os.environ.get("CI"):
        pytest.skip(f"varnish-modules is not installed (`make system-deps` installs it).\n{message}")
    pytest.fail(message, pytrace=False)


def require_varnish():
    """Skip when varnishd is missing; fail in CI, where a missing package must never pass for green."""
    if varnishd_path() is not None:
        return
    message = "Varnish is not installed (`make system-deps` installs varnish and varnish-modules)."
    if os.environ.get("CI"):
        pytest.fail(f"{message} CI must run the HTTP cache tests.", pytrace=False)
    pytest.skip(message)


class Response(NamedTuple):
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def cache(self):
        """Varnish's verdict: HIT, MISS or PASS (None straight from gunicorn)."""
        return self.headers.get("X-Cache")

    @property
    def cache_control(self):
        return {part.strip().lower() for part in self.headers.get("Cache-Control", "").split(",") if part}

    def describe(self):
        headers = "\n".join(f"  {name}: {value}" for name, value in self.headers.items())
        return f"HTTP {self.status}\n{headers}"


def http_request(port, method, path, *, body=None, headers=None, client_ip="203.0.113.1", timeout=15):
    """One request as the TLS terminator in front of Varnish would pass it on.

    ``client_ip=None``: a request straight from this machine, as Django's purges are.
    """
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    all_headers = {"Host": HOST, "User-Agent": "blog-http-cache-test"}
    if client_ip is not None:
        all_headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": client_ip})
    all_headers.update(headers or {})
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read().decode("utf-8", "replace"))
    finally:
        connection.close()


class Reader:
    """A browser without JavaScript: keeps its cookies, talks to Varnish."""

    def __init__(self, port, client_ip):
        self.port = port
        self.client_ip = client_ip
        self.cookies = {}

    def _headers(self, extra):
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return headers

    def _keep_cookies(self, response):
        for line in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel.value in ("", '""') or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path, headers=None):
        response = http_request(
            self.port, "GET", path, headers=self._headers(headers), client_ip=self.client_ip
        )
        return self._keep_cookies(response)

    def post(self, path, fields, *, referer):
        headers = self._headers(
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{HOST}",
                "Referer": f"https://{HOST}{referer}",
            }
        )
        response = http_request(
            self.port, "POST", path, body=urllib.parse.urlencode(fields), headers=headers,
            client_ip=self.client_ip,
        )  # fmt: skip
        return self._keep_cookies(response)


class CommentFormParser(html.parser.HTMLParser):
    """The fields of the page's comment form (the one posting to /commentaires/), as the page has them."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.fields = {}
        self._inside = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "/commentaires/" in (attrs.get("action") or "") and self.action is None:
            self.action = attrs["action"]
            self._inside = True
        elif self._inside and tag in ("input", "textarea") and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False


def comment_form(page_html):
    parser = CommentFormParser()
    parser.feed(page_html)
    return parser


class Stack:
    """gunicorn and varnishd over a throw-away site in ``workdir``."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.backend_port = free_port()
        self.varnish_port = free_port()
        self.mail_dir = workdir / "mail"
        self.vcl = workdir / "default.vcl"
        self.varnish_dir = workdir / "varnish"
        self.articles = {}
        self.staff_password = STAFF_PASSWORD
        self._processes = {}
        self._env = self._build_env()

    def _build_env(self):
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(
                ("DJANGO_", "DATABASE_URL", "CACHE_URL", "EMAIL_URL", "COMMENTS_", "TASKS_", "STAFF_")
            )
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.production",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": HOST,
                "DATABASE_URL": f"sqlite:///{self.workdir / 'db.sqlite3'}",
                "CACHE_URL": f"filecache:///{self.workdir / 'cache'}",
                "DJANGO_STATIC_ROOT": str(self.workdir / "static"),
                # TLS ends in front of Varnish: trust its X-Forwarded-Proto, and count
                # both proxies (terminator, Varnish) that append to X-Forwarded-For.
                "DJANGO_SECURE_PROXY_SSL_HEADER": "true",
                "DJANGO_TRUSTED_PROXY_COUNT": "2",
                "DJANGO_LOG_LEVEL": "WARNING",
                "DJANGO_LOG_FORMAT": "text",
                "COMMENTS_XTD_SALT": secrets.token_urlsafe(40),
                # The test posts as soon as it has the form, as no reader would.
                "COMMENTS_MIN_SUBMIT_SECONDS": "0",
                # A confirmed comment goes online at once, first comment or not.
                "COMMENTS_PREMODERATE_FIRST_TIME": "false",
                # An absolute path needs four slashes with django-environ.
                "EMAIL_URL": f"filemail:///{self.mail_dir}",
                # E-mails leave from the app server itself: no worker in this stack.
                "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                # The staff member signs in with a password only: these tests are about
                # what the cache does with a signed-in user, not the second factor.
                "STAFF_REQUIRE_2FA": "false",
                # What is cached is Varnish's doing, and Django purges this Varnish.
                "PAGE_CACHE_ENABLED": "false",
                "HTTP_CACHE_PURGE_URLS": f"http://{HOST}:{self.varnish_port}/",
            }
        )
        return env

    # -- the site ------------------------------------------------------------------
    def manage(self, *command, stdin=None):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            env=self._env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise AssertionError(f"manage.py {' '.join(command)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def shell(self, code):
        """Runs ``code`` in ``manage.py shell``, as an operator would; returns its last printed line."""
        output = self.manage("shell", stdin=code).strip().splitlines()
        return output[-1] if output else ""

    def prepare(self):
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        seed = SEED.replace("STAFF_PASSWORD", json.dumps(self.staff_password)).replace(
            "ROLES", json.dumps(ROLES)
        )
        self.articles = json.loads(self.shell(seed))

    # -- the servers ---------------------------------------------------------------
    def _spawn(self, name, command, env=None):
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 (kept open for the server's life)
        self._processes[name] = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=log, start_new_session=True
        )

    def _wait_for(self, name, port, path):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._processes[name].poll() is not None:
                raise AssertionError(f"{name} exited early:\n{self.log_tail(name)}")
            try:
                if http_request(port, "GET", path, timeout=5).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"{name} did not answer 200 on {path} within {STARTUP_SECONDS} s")

    def start(self):
        self._spawn(
            "gunicorn",
            [
                sys.executable, "-m", "gunicorn", "config.wsgi",
                "--bind", f"{HOST}:{self.backend_port}",
                "--workers", "2", "--threads", "2",
                "--timeout", "30", "--graceful-timeout", "5",
            ],
            env=self._env,
        )  # fmt: skip
        self._wait_for("gunicorn", self.backend_port, "/healthz")
        render_vcl(self.vcl, self.backend_port)
        require_compiled(self.vcl, self.workdir / "varnish-compile")
        self._spawn(
            "varnishd",
            [
                varnishd_path(), "-F",
                # No privilege separation: as root, it would run the compiler and the
                # cache as Debian's "varnish"/"vcache" users, who cannot read pytest's
                # private temporary folders. Unprivileged users need it too.
                "-j", "none",
                "-a", f"{HOST}:{self.varnish_port}",
                "-T", "none",
                "-f", str(self.vcl),
                "-n", str(self.varnish_dir),
                "-s", "malloc,64m",
            ],
        )  # fmt: skip
        self._wait_for("varnishd", self.varnish_port, "/healthz")

    def stop(self):
        for name in ("varnishd", "gunicorn"):
            process = self._processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=STOP_SECONDS)

    def log_tail(self, name, size=3000):
        path = self.workdir / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace")[-size:] if path.exists() else ""

    # -- talking to it -------------------------------------------------------------
    def get(self, path, **kwargs):
        """An anonymous GET through Varnish, without cookies."""
        return http_request(self.varnish_port, "GET", path, **kwargs)

    def backend_get(self, path, **kwargs):
        """A GET straight to gunicorn, to see what Django sends Varnish."""
        return http_request(self.backend_port, "GET", path, **kwargs)

    def reader(self, client_ip):
        return Reader(self.varnish_port, client_ip)

    def url(self, role):
        return self.articles[role]["url"]

    def pk(self, role):
        return self.articles[role]["pk"]

    def confirmation_links(self):
        """The confirmation addresses (paths) in every e-mail written so far."""
        links = set()
        for path in sorted(self.mail_dir.glob("*.log")) if self.mail_dir.exists() else []:
            text = path.read_text(encoding="utf-8", errors="replace")
            # A quoted-printable body may wrap a long link with soft line breaks.
            links.update(CONFIRM_LINK.findall(text))
            links.update(CONFIRM_LINK.findall(text.replace("=\n", "")))
        return links


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    require_varnish()
    site = Stack(tmp_path_factory.mktemp("http_cache"))
    try:
        site.prepare()
        site.start()
        yield site
    finally:
        site.stop()
