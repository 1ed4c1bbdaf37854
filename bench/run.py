#!/usr/bin/env python
"""Benchmark the public pages against a reference view, under gunicorn with production settings.

For each page of PAGES it prints requests/s, p50 and p99 latency, SQL queries
per request, bytes, and the ratio of its throughput to the reference's: a view
that returns as many bytes through the same middleware and server without a
query or a template. Ratios, not absolute times, compare across machines.

Modes: "uncached" (Django's page cache off: each request runs the view, with
its cached fragments), "cached" (Django's page cache on) and "varnish" (the
shipped deploy/varnish/default.vcl in front of gunicorn, page cache off, each
page warmed to a HIT). In "varnish" the ratio compares with nginx serving the
same bytes, copied from Varnish, as static files. The benchmark starts and
stops varnishd and nginx itself, on ports --port + 1 and --port + 2.

Every load run is bounded (``--duration`` seconds, wrk's timeout) and targets
127.0.0.1 only.

    python bench/run.py --articles 100 --comments 1000
    python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/blog_bench \\
        --cache-url redis://127.0.0.1:6379/7 --articles 100000 --comments 1000000
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VCL_TEMPLATE = BASE_DIR / "deploy" / "varnish" / "default.vcl"
# The line of the VCL that names gunicorn's port (as tests/http_cache/conftest.py replaces it).
BACKEND_PORT_LINE = '.port = "8000";'
NGINX_TEMPLATE = BASE_DIR / "bench" / "nginx.conf.template"
MODES = ["uncached", "cached", "varnish"]


def _article(slug, query=""):
    def url():
        from blog.models import Article

        return Article.objects.get(slug=slug).get_absolute_url() + query

    return url


def _home_page(number):
    def url():
        from django.conf import settings

        from blog.models import Article

        pages = max(1, -(-Article.objects.published().count() // settings.BLOG_PAGINATE_BY))
        return f"/?page={min(number, pages)}"

    return url


# The pages measured: a label and the address, or a function that finds it in the
# database. A page that answers 404 (not built yet) is reported as missing.
PAGES = [
    ("home", "/"),
    ("home, page 50", _home_page(50)),
    ("article, 20 comments", _article("bench-20-comments")),
    ("article, 500 comments", _article("bench-500-comments")),
    # A link shared on a social network: each click adds its own click id.
    ("article, shared link, new fbclid each time", _article("bench-20-comments", "?fbclid=")),
    ("category", "/categorie/bench-category-0/"),
    ("tag", "/mot-cle/bench-tag-0/"),
    ("search", "/recherche/?q=strat%C3%A9gies"),
    # Every request a new address: its matches, extracts and page are made each time.
    ("search, each time new", "/recherche/?q=strat%C3%A9gies&new="),
    ("RSS feed", "/flux/rss/"),
]

# For an address ending in "=": each request appends a number never used before.
NEW_EACH_TIME = """
math.randomseed(os.time())
local run = math.random(1, 1000000000)
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. run .. "-" .. counter)
end
"""


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/blog-bench.sqlite3"),
        help="The benchmark's own database: --seed empties it (default: a SQLite file in /tmp).",
    )
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL", "locmemcache://"),
        help="CACHE_URL of the server (default local memory; production uses redis://).",
    )
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Use the database as it is (no migrate, no seed_bench).",
    )
    parser.add_argument("--duration", type=int, default=3, help="Seconds of each load run (default 3).")
    parser.add_argument(
        "--rounds", type=int, default=3, help="Runs of page and reference, the best kept (default 3)."
    )
    parser.add_argument("--connections", type=int, default=4, help="Concurrent connections (default 4).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--modes",
        default=",".join(MODES),
        help="Any of uncached (page cache off), cached (anonymous page cache on) and "
        "varnish (through Varnish, compared with nginx serving the same bytes); default all three.",
    )
    parser.add_argument("--only", help="Measure only the pages whose label contains this text.")
    parser.add_argument(
        "--audience-hits",
        type=int,
        default=10_000,
        help="Views of one article sent at once to the audience beacon, then flushed (0: skip; 10,000).",
    )
    args = parser.parse_args()
    args.modes = args.modes.split(",")
    unknown = set(args.modes) - set(MODES)
    if unknown:
        parser.error(f"unknown mode(s) {', '.join(sorted(unknown))}: choose among {', '.join(MODES)}.")
    return args


def environment(args, *, page_cache):
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
            "COMMENTS_XTD_SALT": "bench-only-not-a-secret-salt-" + "y" * 30,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": args.database_url,
            "CACHE_URL": args.cache_url,
            "CONN_MAX_AGE": "60",
            "BENCH_MODE": "true",
            "PAGE_CACHE_ENABLED": "true" if page_cache else "false",
            # Each run gets cache keys of its own: nothing from an earlier run is served.
            "DJANGO_RELEASE": f"bench{time.time_ns()}",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    return env


def manage(args, *command):
    subprocess.run(
        [PYTHON, "manage.py", *command], cwd=BASE_DIR, env=environment(args, page_cache=False), check=True
    )


def create_postgres_database(url):
    """Create the benchmark's PostgreSQL database if it does not exist yet."""
    import psycopg

    match = re.match(r"postgres(?:ql)?://(?P<server>[^/]+)/(?P<name>[\w-]+)", url)
    if not match:
        return
    with psycopg.connect(f"postgresql://{match['server']}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [match["name"]]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{match["name"]}"')


def prepare(args):
    if args.database_url.startswith("postgres"):
        create_postgres_database(args.database_url)
    manage(args, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    manage(args, "seed_bench", "--clear", f"--articles={args.articles}", f"--comments={args.comments}")
    print(f"Dataset built in {time.monotonic() - started:.0f} s.", flush=True)


def page_urls(args):
    """Resolve PAGES to addresses, with Django set up on the benchmark database."""
    os.environ.update(environment(args, page_cache=False))
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    urls = []
    for label, target in PAGES:
        if args.only and args.only not in label:
            continue
        try:
            urls.append((label, target() if callable(target) else target))
        except Exception as error:  # a page whose data is missing is reported, not fatal
            urls.append((label, None))
            print(f"{label}: no address ({error})", file=sys.stderr)
    if args.reuse:
        # The report names the dataset as it is, not the sizes given on the command line.
        from django_comments_xtd.models import XtdComment

        from blog.models import Article

        args.articles, args.comments = Article.objects.count(), XtdComment.objects.count()
    from django.db import connections

    connections.close_all()
    return urls


def program(name):
    """The path of a program, also in /usr/sbin (where Debian puts varnishd and nginx)."""
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
    if path is None:
        raise SystemExit(f"{name} is missing: scripts/bench-deps installs it (make bench runs it).")
    return path


class Process:
    """A server bound to 127.0.0.1, started in its own process group and stopped with it."""

    name = "server"

    def start(self, command, port, ready_path, **popen):
        self.base = f"http://127.0.0.1:{port}"
        self.process = None
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(f"Port {port} ({self.name}) is already in use: choose another --port.")
        self.process = subprocess.Popen(command, cwd=BASE_DIR, start_new_session=True, **popen)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                urllib.request.urlopen(self.base + ready_path, timeout=2)
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        self.stop()
        raise SystemExit(f"{self.name} did not start within 30 s.")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


class Server(Process):
    """gunicorn."""

    name = "gunicorn"

    def __init__(self, args, *, page_cache):
        command = [
            PYTHON, "-m", "gunicorn", "config.wsgi",
            "--bind", f"127.0.0.1:{args.port}",
            "--workers", str(args.workers),
            "--log-level", "warning",
        ]  # fmt: skip
        self.start(
            command, args.port, "/__bench__/reference/10/", env=environment(args, page_cache=page_cache)
        )

    def worker_rss(self):
        """Resident memory of each worker, in MiB."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        sizes = []
        for pid in children:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes


class Varnish(Process):
    """varnishd running the shipped VCL, pointed at gunicorn; its files in ``workdir``."""

    name = "varnishd"

    def __init__(self, args, workdir):
        template = VCL_TEMPLATE.read_text()
        assert template.count(BACKEND_PORT_LINE) == 1, f"{VCL_TEMPLATE} must name its backend port once"
        vcl = workdir / "default.vcl"
        vcl.write_text(template.replace(BACKEND_PORT_LINE, f'.port = "{args.port}";'))
        port = args.port + 1
        command = [
            program("varnishd"), "-F",
            # As root, keep the invoking user: Debian's "varnish" user cannot read workdir.
            "-j", "none",
            "-a", f"127.0.0.1:{port}",
            "-T", "none",
            "-f", str(vcl),
            "-n", str(workdir / "varnish"),
            "-s", "malloc,256m",
        ]  # fmt: skip
        log = workdir / "varnishd.log"
        try:
            with log.open("wb") as output:
                self.start(command, port, "/healthz", stdout=output, stderr=subprocess.STDOUT)
        except SystemExit as error:
            raise SystemExit(f"{error}\n{log.read_text(errors='replace')[-3000:]}") from None


class StaticServer(Process):
    """A throw-away nginx serving ``bodies`` (address: bytes) as files, from ``workdir``."""

    name = "nginx"

    def __init__(self, args, workdir, bodies):
        root = workdir / "pages"
        root.mkdir()
        # Started by root, nginx's workers run as "nobody": they must be able to read the files.
        for folder in (workdir, root):
            folder.chmod(0o755)
        self.files = {}
        for number, (path, body) in enumerate(bodies.items()):
            (root / f"{number}.html").write_bytes(body)
            # An address ending in "=" keeps it: wrk then adds a new query string each time.
            self.files[path] = f"/{number}.html" + ("?new=" if path.endswith("=") else "")
        port = args.port + 2
        config = workdir / "nginx.conf"
        config.write_text(
            string.Template(NGINX_TEMPLATE.read_text()).substitute(dir=workdir, root=root, port=port)
        )
        command = [program("nginx"), "-p", str(workdir), "-e", str(workdir / "error.log"), "-c", str(config)]
        self.start(command, port, "/0.html")

    def url(self, path):
        """The address of the static copy of the page at ``path``."""
        return self.base + self.files[path]


def fetch(url):
    """Status, body and headers of a GET, uncompressed."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, b"", error.headers


def fresh(path):
    """``path``, with a value never used before if it ends in "=" (as wrk's requests to it get)."""
    return f"{path}{time.time_ns()}" if path.endswith("=") else path


def _seconds(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def load(url, args):
    """Drive ``url`` with wrk for --duration seconds; requests/s, p50, p99 (ms) and count."""
    command = [
        "wrk", "--threads=1", f"--connections={args.connections}", f"--duration={args.duration}s",
        "--timeout=10s", "--latency", url,
    ]  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if url.endswith("="):
            script.write(NEW_EACH_TIME)
            script.flush()
            command += ["--script", script.name]
        output = subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=args.duration + 30
        ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _seconds(re.search(r"\s50%\s+(\S+)", output).group(1)) * 1000
    p99 = _seconds(re.search(r"\s99%\s+(\S+)", output).group(1)) * 1000
    count = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rate,
        "p50": p50,
        "p99": p99,
        "requests": count,
        "errors": int(errors.group(1)) if errors else 0,
    }


def measure(args, urls, mode):
    print(f"Starting gunicorn ({mode})…", flush=True)
    server = Server(args, page_cache=mode == "cached")
    varnish = nginx = None
    workdir = tempfile.TemporaryDirectory(prefix="blog-bench-")
    rows, total = [], 0
    try:
        if mode == "varnish":
            print("Starting varnishd…", flush=True)
            varnish = Varnish(args, Path(workdir.name))
        # The pages are requested from gunicorn, or through Varnish.
        base = (varnish or server).base
        # First view of each page on a fresh cache: everything is rendered and queried.
        cold = {path: fetch(base + path)[2].get("X-Query-Count") for _, path in urls if path}
        # Warm up: templates compiled, connections open, fragments and counts cached.
        for _, path in urls:
            if path:
                for _ in range(2 * args.workers):
                    fetch(base + path)
        if varnish:
            # The same bytes as Varnish sends, as static files.
            bodies = {}
            for _, path in urls:
                status, body, _ = fetch(base + fresh(path)) if path else (None, b"", None)
                if status == 200:
                    bodies[path] = body
            print("Starting nginx…", flush=True)
            nginx = StaticServer(args, Path(workdir.name), bodies)
        rss_before = server.worker_rss()
        for label, path in urls:
            if path is None:
                rows.append({"page": label, "missing": True})
                continue
            # What wrk's requests get: a new address each time for those ending in "=".
            status, body, headers = fetch(base + fresh(path))
            size = len(body)
            if status != 200:
                rows.append({"page": label, "path": path, "missing": True, "status": status})
                continue
            # Varnish's verdict (HIT, MISS, PASS), or the page cache's ("hit").
            verdict = headers.get("X-Cache") or headers.get("X-Page-Cache") or "-"
            # A Varnish HIT repeats the count of the request that filled it: Django ran nothing.
            queries = 0 if verdict == "HIT" else int(headers.get("X-Query-Count", -1))
            # Compared with nginx serving the same bytes, or with the reference view.
            comparison = nginx.url(path) if nginx else f"{server.base}/__bench__/reference/{size}/"
            page, reference = {"rps": 0}, {"rps": 0}
            for _ in range(args.rounds):
                # Page and reference alternate, so that both see the same disturbances.
                run = load(base + path, args)
                page = max(page, run, key=lambda result: result["rps"])
                total += run["requests"]
                run = load(comparison, args)
                reference = max(reference, run, key=lambda result: result["rps"])
                total += run["requests"]
            rows.append(
                {
                    "page": label,
                    "path": path,
                    "bytes": size,
                    "cache": verdict,
                    "queries_cold": int(cold[path]) if cold.get(path) is not None else None,
                    "queries": queries if queries >= 0 else None,
                    **page,
                    "reference_rps": reference["rps"],
                    "ratio": page["rps"] / reference["rps"],
                }
            )
            print(
                f"  {mode:8} {label:24} {page['rps']:8.0f} req/s  ratio {rows[-1]['ratio']:.2f}  {verdict}",
                flush=True,
            )
        rss_after = server.worker_rss()
    finally:
        for process in (nginx, varnish, server):
            if process:
                process.stop()
        workdir.cleanup()
    return {"mode": mode, "rows": rows, "requests": total, "rss_before": rss_before, "rss_after": rss_after}


def table(result):
    reference = "nginx static req/s" if result["mode"] == "varnish" else "reference req/s"
    lines = [
        f"### {result['mode']}",
        "",
        "| page | req/s | p50 ms | p99 ms | cache | SQL queries (first/later) | bytes "
        f"| {reference} | ratio |",
        "| --- | ---: | ---: | ---: | :---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["rows"]:
        if row.get("missing"):
            lines.append(f"| {row['page']} | missing ({row.get('status', 'no data')}) | | | | | | | |")
            continue
        lines.append(
            f"| {row['page']} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | {row['cache']} "
            f"| {row['queries_cold']}/{row['queries']} "
            f"| {row['bytes']} | {row['reference_rps']:.0f} | {row['ratio']:.2f} |"
        )
    before = ", ".join(f"{size:.0f}" for size in result["rss_before"])
    after = ", ".join(f"{size:.0f}" for size in result["rss_after"])
    lines += ["", f"Worker RSS (MiB): {before} → {after} over {result['requests']} requests.", ""]
    return "\n".join(lines)


def audience_burst(args):
    """A burst of views of one article through the audience beacon, and the flush that
    writes them (``audience.bench``, on a throwaway test database, with the same cache)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    if args.cache_url.startswith("redis"):
        env["TEST_CACHE_URL"] = args.cache_url
    hits = str(args.audience_hits)
    command = [PYTHON, "-m", "audience.bench", "--hits", hits, "--threads", "4", "--articles", "1"]
    print(f"Audience: {args.audience_hits} views of one article…", flush=True)
    output = subprocess.run(
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True, timeout=900
    ).stdout
    title = f"### Audience: {args.audience_hits:,} views of one article at once"
    return f"{title}\n\n```text\n{output.strip()}\n```"


def main():
    # Stopped from outside (timeout, Ctrl-C): stop gunicorn too, through the finally blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Stopped."))
    args = parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: install it with  apt-get install wrk  (make bench does).")
    if args.cache_url.startswith("redis"):
        import redis

        try:
            redis.Redis.from_url(args.cache_url, socket_connect_timeout=1).ping()
        except redis.RedisError as error:
            raise SystemExit(f"The cache at {args.cache_url} does not answer ({error}).")
    if not args.reuse:
        prepare(args)
    manage(args, "collectstatic", "--noinput", "-v0")
    urls = page_urls(args)
    database = args.database_url.split("://", 1)[0]
    header = (
        f"## {datetime.date.today()} · {platform.node()} · {os.cpu_count()} CPUs · {database} · "
        f"cache {args.cache_url.split('://', 1)[0]} · {args.articles} articles, {args.comments} comments · "
        f"gunicorn {args.workers} workers · wrk {args.connections} connections, "
        f"best of {args.rounds} × {args.duration} s"
    )
    results = [measure(args, urls, mode) for mode in args.modes]
    burst = [audience_burst(args)] if args.audience_hits else []
    report = "\n\n".join([header, *(table(result) for result in results), *burst])
    print()
    print(report)
    out = BASE_DIR / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"{stamp}-{database}-{args.articles}.md").write_text(report + "\n")
    (out / f"{stamp}-{database}-{args.articles}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
