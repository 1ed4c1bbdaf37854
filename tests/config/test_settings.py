"""Production settings must refuse to start without their secrets, and say which one is missing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-for-the-test-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "blog.example.org",
    "DATABASE_URL": f"sqlite:///{BASE_DIR / 'unused.sqlite3'}",
    "CACHE_URL": "locmemcache://",
    "COMMENTS_XTD_SALT": "a-production-salt-for-comment-confirmation-links-0123456789",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_starts_with_its_variables():
    result = run_manage("check", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def import_production_settings(env):
    """Load the production settings module alone, as a WSGI server does at start-up."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "COMMENTS_"))
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_load_with_a_good_salt():
    result = import_production_settings(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_production_refuses_a_salt_equal_to_the_secret_key():
    env = {**PRODUCTION_ENV, "COMMENTS_XTD_SALT": PRODUCTION_ENV["DJANGO_SECRET_KEY"]}
    result = import_production_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "COMMENTS_XTD_SALT must differ from DJANGO_SECRET_KEY" in result.stderr
    # The secret itself is never printed.
    assert PRODUCTION_ENV["DJANGO_SECRET_KEY"] not in result.stderr


@pytest.mark.parametrize("length", [1, 16, 49])
def test_production_refuses_a_short_salt(length):
    result = import_production_settings({**PRODUCTION_ENV, "COMMENTS_XTD_SALT": "s" * length})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "COMMENTS_XTD_SALT must be at least 50 characters long" in result.stderr


def test_production_accepts_a_salt_of_fifty_characters():
    result = import_production_settings({**PRODUCTION_ENV, "COMMENTS_XTD_SALT": "s" * 50})
    assert result.returncode == 0, result.stderr
