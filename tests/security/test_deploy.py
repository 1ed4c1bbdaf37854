"""Production settings: `check --deploy` is clean, and a missing secret stops start-up."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "kq9!w2-production-like-test-key-8f3b1d7e6c5a4f2e9d8c7b6a5f4e3d2c1b0a",
    "DJANGO_ALLOWED_HOSTS": "blog.example.org",
    "DATABASE_URL": "sqlite:////tmp/blog-deploy-check.sqlite3",
    "CACHE_URL": "locmemcache://",
    "COMMENTS_XTD_SALT": "a-production-salt-for-comment-confirmation-links-42",
}


def run_manage(*args, env_overrides=None, drop=()):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(PRODUCTION_ENV)
    env.update(env_overrides or {})
    for name in drop:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "overrides",
    [{}, {"DJANGO_SECURE_PROXY_SSL_HEADER": "true", "DJANGO_TRUSTED_PROXY_COUNT": "1"}],
    ids=["direct", "behind-a-proxy"],
)
def test_deploy_checks_are_clean_with_production_settings(overrides):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=overrides)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("variable", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_variable(variable):
    result = run_manage("check", drop=[variable])
    assert result.returncode != 0
    assert f"Set the {variable} environment variable" in result.stderr


def test_a_weak_secret_key_fails_the_deploy_check():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides={"DJANGO_SECRET_KEY": "short"}
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def production_settings(**overrides):
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'axes': s.AXES_ENABLED, 'limit': s.AXES_FAILURE_LIMIT, "
        "'proxy_header': s.SECURE_PROXY_SSL_HEADER, 'csp': s.CONTENT_SECURITY_POLICY['DIRECTIVES'], "
        "'middleware': s.MIDDLEWARE, 'formatter': s.LOGGING['handlers']['console']['formatter'], "
        "'admin_url': s.ADMIN_URL}))"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(PRODUCTION_ENV)
    env.update(overrides)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_turns_on_login_lockout_csp_and_json_logs():
    values = production_settings()
    assert values["axes"] is True
    assert values["limit"] == 5
    assert values["proxy_header"] is None
    assert "'unsafe-inline'" not in values["csp"]["script-src"]
    assert values["csp"]["frame-ancestors"] == ["'none'"]
    assert "csp.middleware.CSPMiddleware" in values["middleware"]
    assert values["middleware"][-1] == "axes.middleware.AxesMiddleware"
    assert values["formatter"] == "json"


def test_production_security_switches_come_from_the_environment():
    values = production_settings(
        DJANGO_SECURE_PROXY_SSL_HEADER="true",
        AXES_FAILURE_LIMIT="3",
        DJANGO_ADMIN_URL="gestion-7f3a/",
        DJANGO_CSP_IMG_ORIGINS="https://media.example.org",
    )
    assert values["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["limit"] == 3
    assert values["admin_url"] == "gestion-7f3a/"
    assert values["csp"]["img-src"] == ["'self'", "data:", "https://media.example.org"]


HTTPS_SCRIPT = """
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from django.test import Client
client = Client(HTTP_HOST="blog.example.org")
results = {}
plain = client.get("/")
results["http"] = [plain.status_code, plain.headers.get("Location")]
results["healthz_http"] = client.get("/healthz").status_code
proxied = client.get("/", HTTP_X_FORWARDED_PROTO="https")
results["proxied"] = [proxied.status_code, proxied.headers.get("Strict-Transport-Security")]
from django.conf import settings
login = client.get("/" + settings.ADMIN_URL + "login/", HTTP_X_FORWARDED_PROTO="https")
results["cookies_secure"] = {name: bool(login.cookies[name]["secure"]) for name in login.cookies}
results["wrong_host"] = Client(HTTP_HOST="evil.example").get("/", HTTP_X_FORWARDED_PROTO="https").status_code
print(json.dumps(results))
"""


def test_behind_a_proxy_http_is_redirected_and_https_gets_hsts(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(PRODUCTION_ENV)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
            "DJANGO_SECURE_PROXY_SSL_HEADER": "true",
            "DJANGO_LOG_LEVEL": "CRITICAL",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", HTTPS_SCRIPT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    results = json.loads(result.stdout.strip().splitlines()[-1])
    assert results["http"] == [301, "https://blog.example.org/"]
    assert results["healthz_http"] == 200  # load balancers probe over plain HTTP
    assert results["proxied"] == [200, "max-age=31536000; includeSubDomains; preload"]
    assert results["cookies_secure"] == {"csrftoken": True}
    assert results["wrong_host"] == 400
