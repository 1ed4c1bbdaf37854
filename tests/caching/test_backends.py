"""The Redis cache backend with a circuit breaker: an outage costs one warning, not a flood."""

import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from caching import backends
from caching.backends import CircuitBreakerRedisCache

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(backends, "clock", fake)
    return fake


def cache_at(port, **options):
    return CircuitBreakerRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"OPTIONS": {"CIRCUIT_SECONDS": 5, "socket_connect_timeout": 0.5, "socket_timeout": 0.5, **options}},
    )


def warnings_of(caplog):
    return [record for record in caplog.records if record.name == "caching.backends"]


def test_a_closed_port_answers_like_an_empty_cache(clock):
    cache = cache_at(free_port())
    assert cache.get("a") is None
    assert cache.get("a", "défaut") == "défaut"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("a", 1) is None
    assert cache.add("a", 1) is True
    assert cache.has_key("a") is False
    assert cache.delete("a") is False
    assert cache.touch("a") is False
    assert cache.set_many({"a": 1, "b": 2}) == []
    assert cache.delete_many(["a", "b"]) is None
    assert cache.get_or_set("a", lambda: "calculé") == "calculé"
    with pytest.raises(ValueError):
        cache.incr("a")
    with pytest.raises(ValueError):
        cache.decr("a")
    cache.clear()


def test_one_warning_per_outage_without_traceback(clock, caplog):
    caplog.set_level(logging.INFO)
    cache = cache_at(free_port())
    for _second in range(60):
        clock.now += 1
        for _ in range(20):
            cache.get("page")
            cache.set("page", "x")
    records = warnings_of(caplog)
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].levelno == logging.WARNING
    assert records[0].exc_info is None
    assert "does not answer" in records[0].getMessage()
    assert "127.0.0.1" in records[0].getMessage()


def test_several_cache_objects_of_a_process_share_one_circuit(clock, caplog):
    """Django makes one cache object per thread: the outage is still reported once."""
    port = free_port()
    caches = [cache_at(port) for _ in range(4)]
    threads = [threading.Thread(target=c.get, args=("a",)) for c in caches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for c in caches:
        c.get("a")
    assert len(warnings_of(caplog)) == 1


class CountingServer:
    """Accepts connections, counts them and closes them at once: a Redis that fails every call."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                connection, _address = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            connection.close()

    def close(self):
        self.sock.close()


@pytest.fixture
def failing_server():
    server = CountingServer()
    yield server
    server.close()


def wait_for(condition, seconds=2.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_the_circuit_stops_calls_for_a_few_seconds_then_tries_again(clock, failing_server):
    cache = cache_at(failing_server.port, CIRCUIT_SECONDS=5)
    assert cache.get("a") is None
    wait_for(lambda: failing_server.accepted > 0)
    first = failing_server.accepted
    assert first >= 1
    for _ in range(200):
        assert cache.get("a") is None
        cache.set("a", 1)
    clock.now += 4.9
    cache.get("a")
    time.sleep(0.1)
    assert failing_server.accepted == first, "the cache was tried while the circuit was open"
    clock.now += 0.2
    cache.get("a")
    wait_for(lambda: failing_server.accepted > first)
    assert failing_server.accepted > first, "the cache was not tried again once the circuit closed"


def test_circuit_seconds_zero_tries_every_call_but_still_warns_once(clock, failing_server, caplog):
    cache = cache_at(failing_server.port, CIRCUIT_SECONDS=0)
    for _ in range(5):
        cache.get("a")
    wait_for(lambda: failing_server.accepted >= 5)
    assert failing_server.accepted >= 5
    assert len(warnings_of(caplog)) == 1


def test_options_of_the_backend_do_not_reach_the_redis_client(clock):
    cache = cache_at(free_port(), CIRCUIT_SECONDS=2)
    assert cache.circuit_seconds == 2
    assert cache.get("a") is None  # an unknown option would make redis-py raise a TypeError


def test_programming_errors_are_not_hidden(clock):
    cache = cache_at(free_port())
    with pytest.raises(AttributeError, match="pickle"):
        cache.set("a", lambda: 1)  # a value that cannot be stored is a bug, not an outage


@pytest.fixture
def redis_server(tmp_path):
    """A Redis of our own, on a free port, that the test may stop and start again."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server (Debian package redis-server) is not installed")
    port = free_port()

    class Server:
        process = None

        def start(self):
            self.process = subprocess.Popen(
                [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    return
                except OSError:
                    time.sleep(0.05)
            raise RuntimeError("redis-server did not start")

        def stop(self):
            self.process.terminate()
            self.process.wait(timeout=10)

    server = Server()
    server.port = port
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def test_a_real_redis_stopped_then_started_again(clock, redis_server, caplog):
    caplog.set_level(logging.INFO)
    cache = cache_at(redis_server.port, CIRCUIT_SECONDS=5)
    cache.set("article", "texte")
    assert cache.get("article") == "texte"

    redis_server.stop()
    for _ in range(50):
        assert cache.get("article") is None
        cache.set("article", "texte")
    records = warnings_of(caplog)
    assert [r.levelno for r in records] == [logging.WARNING]

    redis_server.start()
    # Still within the circuit's seconds: the cache is not asked yet.
    assert cache.get("article") is None
    clock.now += 6
    cache.set("article", "de retour")
    assert cache.get("article") == "de retour"
    records = warnings_of(caplog)
    assert [r.levelno for r in records] == [logging.WARNING, logging.INFO]
    assert "answers again" in records[1].getMessage()


# Production settings, as configured from the environment, with the cache unreachable.
PAGE_VIEWS = """
import datetime, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from blog.models import Article, Category
author = get_user_model().objects.create(username="auteur")
category = Category.objects.create(name="Réseaux", slug="reseaux")
article = Article.objects.create(
    title="Un article", slug="un-article", author=author, category=category, body="<p>Texte</p>",
    status=Article.Status.PUBLISHED, published_at=timezone.now() - datetime.timedelta(days=1),
)
client = Client(HTTP_HOST="blog.example.org", raise_request_exception=False)
paths = ["/", article.get_absolute_url(), category.get_absolute_url()]
started = time.monotonic()
statuses = [client.get(paths[i % 3], secure=True).status_code for i in range(60)]
print("statuses", sorted(set(statuses)))
print("seconds", round(time.monotonic() - started, 2))
"""


def run_page_views(tmp_path, cache_url):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "cache-backend-test-key-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d",
            "DJANGO_ALLOWED_HOSTS": "blog.example.org",
            "COMMENTS_XTD_SALT": "cache-backend-test-salt-for-comment-confirmation-links-0123",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
            "CACHE_URL": cache_url,
            "DJANGO_LOG_LEVEL": "INFO",
            "DJANGO_LOG_FORMAT": "text",
        }
    )
    return subprocess.run(
        [sys.executable, "-c", PAGE_VIEWS], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )


def test_production_uses_the_circuit_breaker_for_redis():
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SECRET_KEY": "cache-backend-test-key-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d",
            "DJANGO_ALLOWED_HOSTS": "blog.example.org",
            "COMMENTS_XTD_SALT": "cache-backend-test-salt-for-comment-confirmation-links-0123",
            "DATABASE_URL": "sqlite:///unused.sqlite3",
            "CACHE_URL": "redis://127.0.0.1:6379/3",
            "CACHE_CIRCUIT_SECONDS": "7",
        }
    )
    code = (
        "import config.settings.production as s; c = s.CACHES['default']; print(c['BACKEND'], c['OPTIONS'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("caching.backends.CircuitBreakerRedisCache ")
    assert "'CIRCUIT_SECONDS': 7.0" in result.stdout


def test_sixty_page_views_with_redis_down_log_one_warning(tmp_path):
    result = run_page_views(tmp_path, f"redis://127.0.0.1:{free_port()}/8")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "statuses [200]" in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr
    cache_lines = [line for line in lines if "caching.backends" in line]
    assert len(cache_lines) == 1, lines[:20]
    assert len(lines) <= 3, lines[:20]
