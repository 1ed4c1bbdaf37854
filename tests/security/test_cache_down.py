"""With the Redis cache down, production settings still serve every page (no cache, no error)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Runs with the production settings module, exactly as configured from the environment.
SCRIPT = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from django.test import Client
from blog.models import Article, Category
from django.contrib.auth import get_user_model
from django.utils import timezone
import datetime
author = get_user_model().objects.create(username="auteur")
category = Category.objects.create(name="Réseaux", slug="reseaux")
article = Article.objects.create(
    title="Un article", slug="un-article", author=author, category=category, body="<p>Texte</p>",
    status=Article.Status.PUBLISHED, published_at=timezone.now() - datetime.timedelta(days=1),
)
client = Client(HTTP_HOST="blog.example.org", raise_request_exception=False)
for path in ["/", article.get_absolute_url(), category.get_absolute_url(), "/healthz"]:
    for _ in range(2):
        response = client.get(path, secure=True)
        print(path, response.status_code)
from django.core.cache import cache
try:
    cache.set("probe", 1)
    print("cache-probe", cache.get("probe", "miss"))
except Exception as error:
    print("cache-probe", type(error).__name__)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def run_with_redis_down(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("cache-down")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "cache-down-test-key-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d",
            "DJANGO_ALLOWED_HOSTS": "blog.example.org",
            "COMMENTS_XTD_SALT": "cache-down-test-salt-for-comment-confirmation-links",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
            # Nothing listens there: every cache call fails to connect.
            "CACHE_URL": f"redis://127.0.0.1:{free_port()}/8",
            "DJANGO_LOG_LEVEL": "CRITICAL",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(
        line.rsplit(" ", 1) for line in result.stdout.split("\n") if line.startswith("cache-probe")
    ), [line for line in result.stdout.split("\n") if line.startswith("/")]


def test_pages_are_served_when_redis_is_unreachable(run_with_redis_down):
    _, lines = run_with_redis_down
    statuses = [line.rsplit(" ", 1)[1] for line in lines]
    assert statuses == ["200"] * 8, lines


def test_cache_calls_miss_instead_of_failing_when_redis_is_unreachable(run_with_redis_down):
    probe, _ = run_with_redis_down
    assert probe["cache-probe"] == "miss"
