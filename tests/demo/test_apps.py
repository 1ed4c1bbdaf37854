"""The demo blog is installed where it is used (a developer's machine, the tests), never in production."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

# Values production requires; none of them is a real secret.
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-for-the-test-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "blog.example.org",
    "DATABASE_URL": "sqlite:////tmp/blog-demo-check.sqlite3",
    "CACHE_URL": "locmemcache://",
    "COMMENTS_XTD_SALT": "a-production-salt-for-comment-links-0123456789-abcdef",
}


def run(*args, settings):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(PRODUCTION_ENV)
    env["DJANGO_SETTINGS_MODULE"] = settings
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_do_not_install_the_demo():
    script = (
        "import django, json; django.setup(); "
        "from django.conf import settings; print(json.dumps(settings.INSTALLED_APPS))"
    )
    result = run("-c", script, settings="config.settings.production")
    assert result.returncode == 0, result.stderr
    installed = json.loads(result.stdout)
    assert "blog" in installed
    assert "demo" not in installed


def test_seed_demo_is_unknown_in_production():
    result = run("manage.py", "help", "seed_demo", settings="config.settings.production")
    assert result.returncode != 0
    assert "Unknown command: 'seed_demo'" in result.stderr


@pytest.mark.parametrize("settings", ["config.settings.local", "config.settings.test"])
def test_seed_demo_is_available_where_make_run_and_the_tests_use_it(settings):
    result = run("manage.py", "help", "seed_demo", settings=settings)
    assert result.returncode == 0, result.stderr
    assert "--if-empty" in result.stdout
