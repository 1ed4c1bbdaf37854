"""The benchmark's app is installed only in benchmark mode (and by the test settings)."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# Values production requires; none of them is a real secret.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-for-the-test-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "blog.example.org",
    "DATABASE_URL": "sqlite:////tmp/blog-bench-check.sqlite3",
    "CACHE_URL": "locmemcache://",
    "COMMENTS_XTD_SALT": "a-production-salt-for-comment-links-0123456789-abcdef",
    "BENCH_MODE": "false",
}


def test_seed_bench_is_unknown_in_production_without_bench_mode():
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "manage.py", "help", "seed_bench"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Unknown command: 'seed_bench'" in result.stderr
