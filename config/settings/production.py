"""Production settings: every secret and host comes from the environment.

A missing DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS or DATABASE_URL stops start-up
with django-environ's ImproperlyConfigured error, which names the variable.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database_config, env

COMMENTS_XTD_SALT_MIN_LENGTH = 50

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# The embedded SQLite default is for trying the site out; production names its database.
DATABASES = {"default": database_config(env("DATABASE_URL"))}
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Signs the comment confirmation links (signed pickles): required, never a default.
# Checked here, when the settings load, so that no server process ever starts
# with a weak salt (``manage.py check`` is not run by gunicorn).
COMMENTS_XTD_SALT = env("COMMENTS_XTD_SALT").encode()
if SECRET_KEY.encode() == COMMENTS_XTD_SALT:
    raise ImproperlyConfigured(
        "COMMENTS_XTD_SALT must differ from DJANGO_SECRET_KEY: set it to another long random string."
    )
if len(COMMENTS_XTD_SALT) < COMMENTS_XTD_SALT_MIN_LENGTH:
    raise ImproperlyConfigured(
        f"COMMENTS_XTD_SALT must be at least {COMMENTS_XTD_SALT_MIN_LENGTH} characters long: "
        "set it to a long random string (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
COMMENTS_LINK_SCHEME = env("COMMENTS_LINK_SCHEME", default="https")
# Passkeys work on the site's own domain, over https.
OTP_WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID", default=SITE_DOMAIN.split(":")[0])  # noqa: F405
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list("WEBAUTHN_ALLOWED_ORIGINS", default=[f"https://{SITE_DOMAIN}"])  # noqa: F405

# CACHING
# ------------------------------------------------------------------------------
# Pages and fragments are cached for anonymous readers under versions kept in
# the cache, so every server process must see the same cache: production names
# it (redis://… or, on a single machine, filecache:///path).
CACHES = {"default": env.cache("CACHE_URL")}
CACHES["default"]["KEY_PREFIX"] = RELEASE  # noqa: F405
REDIS_BACKENDS = ("django_redis.cache.RedisCache", "django.core.cache.backends.redis.RedisCache")
if CACHES["default"]["BACKEND"] in REDIS_BACKENDS:
    # Django's Redis backend with a circuit breaker (caching/backends.py): Redis
    # down, pages are rendered as if uncached, never a 500, with one warning per
    # outage and no connection attempt for CACHE_CIRCUIT_SECONDS after a failure.
    CACHES["default"]["BACKEND"] = "caching.backends.CircuitBreakerRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            "CIRCUIT_SECONDS": CACHE_CIRCUIT_SECONDS,  # noqa: F405
            "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.5),
            "socket_timeout": env.float("CACHE_TIMEOUT", default=0.5),
        }
    )

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
# Load balancers probe the health check over plain HTTP, straight to gunicorn.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# STATIC
# ------------------------------------------------------------------------------
# Where collectstatic writes (and WhiteNoise serves from): the release's own folder by default.
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(STATIC_ROOT))  # noqa: F405

# Uploads keep the storage chosen in base (local disk or S3, see MEDIA_STORAGE).
STORAGES = {
    "default": STORAGES["default"],  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# TEMPLATES
# ------------------------------------------------------------------------------
# Cached template loaders are Django's default when DEBUG is off.

# LOGGING
# ------------------------------------------------------------------------------
# One JSON object per line on the console (DJANGO_LOG_FORMAT=text for plain lines).
LOGGING["formatters"]["json"] = {"()": "config.logging.JsonFormatter"}  # noqa: F405
if env("DJANGO_LOG_FORMAT", default="json") == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405
LOGGING["loggers"] = {  # noqa: F405
    "django.security.DisallowedHost": {"level": "ERROR", "propagate": False, "handlers": []},
}
