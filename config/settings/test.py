"""Settings for the test suite: fast hashing, in-memory e-mail, fixed fake secrets."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Development-only apps, tested here: the demo blog and the benchmark's dataset command.
INSTALLED_APPS = [*INSTALLED_APPS, "demo", *([] if "bench" in INSTALLED_APPS else ["bench"])]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once, inside the test; tests of the worker itself use the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
CACHES = {"default": env.cache("TEST_CACHE_URL", default="locmemcache://")}
LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the apps and static/ (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# COMMENTS: django-comments-xtd reads its settings once, so test values live here.
COMMENTS_XTD_SALT = b"test-only-insecure-comments-salt"
COMMENTS_XTD_MAX_THREAD_LEVEL = 3
COMMENTS_GRAVATAR = False
COMMENTS_SPAM_CHECKER = ""

# Embeds: no test asks a provider; those of medialib.embeds switch fetching on with
# recorded answers.
EMBED_FETCH = False

# Login lockout is switched on by the tests that exercise it, so that other tests
# may log in with client.login() (which passes no request to the backends).
AXES_ENABLED = False

# The admin's tests log in with force_login; tests/accounts switch the second factor on.
STAFF_REQUIRE_2FA = False

# CACHING: the anonymous page cache is off, so that tests of a view measure the
# view (its queries, its output); tests/perf switches it on and tests it.
PAGE_CACHE_ENABLED = False
