"""Production settings: every secret and host comes from the environment.

A missing DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS or DATABASE_URL stops start-up
with django-environ's ImproperlyConfigured error, which names the variable.
"""

from .base import *  # noqa: F403
from .base import database_config, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# The embedded SQLite default is for trying the site out; production names its database.
DATABASES = {"default": database_config(env("DATABASE_URL"))}
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# CACHING
# ------------------------------------------------------------------------------
# Pages are cached for anonymous readers and invalidated by generations kept in
# the cache, so every server process must see the same cache: production names
# it (redis://… or, on a single machine, filecache:///path).
CACHES = {"default": env.cache("CACHE_URL")}
if CACHES["default"]["BACKEND"].startswith("django_redis"):
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            # Redis down: pages are rendered as if uncached, never a 500.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": env.float("CACHE_CONNECT_TIMEOUT", default=0.5),
            "SOCKET_TIMEOUT": env.float("CACHE_TIMEOUT", default=0.5),
        }
    )
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# SECURITY
# ------------------------------------------------------------------------------
# Behind a reverse proxy that terminates TLS, set DJANGO_SECURE_PROXY_SSL_HEADER=true
# so that Django trusts its X-Forwarded-Proto header.
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

# STATIC
# ------------------------------------------------------------------------------
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# TEMPLATES
# ------------------------------------------------------------------------------
# Cached template loaders are Django's default when DEBUG is off.

# LOGGING
# ------------------------------------------------------------------------------
LOGGING["loggers"] = {  # noqa: F405
    "django.security.DisallowedHost": {"level": "ERROR", "propagate": False, "handlers": []},
}
