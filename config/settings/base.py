"""Settings shared by every environment.

Values that differ between machines come from the environment (or a ``.env``
file next to ``manage.py``), read with django-environ. The embedded defaults
give a working site with no configuration at all: SQLite, local-memory cache,
e-mail printed on the console.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
TIME_ZONE = env("TIME_ZONE", default="Europe/Paris")
LANGUAGE_CODE = env("LANGUAGE_CODE", default="fr")
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
SITE_ID = 1
# The public domain (and port, if any), used for absolute links in feeds and e-mails.
SITE_DOMAIN = env("SITE_DOMAIN", default="127.0.0.1:8000")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]

# The blog's identity, shown in the header, titles and feeds.
BLOG_NAME = env("BLOG_NAME", default="Digital et médias sociaux")
BLOG_TAGLINE = env(
    "BLOG_TAGLINE",
    default="Décryptage des tendances et stratégies",
)
BLOG_PAGINATE_BY = env.int("BLOG_PAGINATE_BY", default=10)

# DATABASES
# ------------------------------------------------------------------------------
# django-environ reads sqlite:/// paths relative to the working directory, so the
# default is built from BASE_DIR to always point at the project's own file.
def database_config(url):
    """Turn a DATABASE_URL into Django's settings, with the options every site wants."""
    config = env.db_url_config(url)
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while a comment is being written; the busy timeout
        # and IMMEDIATE transactions make concurrent writers wait instead of
        # failing with "database is locked".
        config.setdefault("OPTIONS", {}).update(
            {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    return config


# django-environ reads sqlite:/// paths relative to the working directory, so the
# default is built from BASE_DIR to always point at the project's own file.
DATABASES = {
    "default": database_config(env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHES
# ------------------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# URLS
# ------------------------------------------------------------------------------
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.redirects",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "taggit",
    # django_comments_xtd must come before django_comments (it overrides its templates).
    "django_comments_xtd",
    "django_comments",
]
LOCAL_APPS = [
    "blog",
    "comments",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "blog.cache_middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "blog.cache_middleware.PageCacheCsrfMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
]

# STATIC AND MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "blog.context_processors.blog",
            ],
        },
    },
]

# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# EMAIL
# ------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="blog@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "verbose": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "verbose"},
    },
    "root": {"level": env("DJANGO_LOG_LEVEL", default="INFO"), "handlers": ["console"]},
}

# TAGS (django-taggit)
# ------------------------------------------------------------------------------
TAGGIT_CASE_INSENSITIVE = True

# COMMENTS (django-comments-xtd)
# ------------------------------------------------------------------------------
COMMENTS_APP = "django_comments_xtd"

# CACHING
# ------------------------------------------------------------------------------
# Anonymous readers get public pages from the cache; every change replaces the
# generation of the scopes it affects (see blog/cache.py), so pages are never
# stale and nothing is flushed. With several server processes the cache must be
# shared (CACHE_URL=redis://… or filecache://…): local memory is per process.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
# Sidebar blocks and list counts, cached with the same generations.
FRAGMENT_CACHE_ENABLED = env.bool("FRAGMENT_CACHE_ENABLED", default=True)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_PREFIX = env("PAGE_CACHE_PREFIX", default="blog")
# Entries of old generations are never read again; this only bounds their life.
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=60 * 60 * 24)
# A request carrying one of these cookies (a session: a logged-in user; pending
# messages) is never answered from the cache.
PAGE_CACHE_BYPASS_COOKIES = ["sessionid", "messages"]
# Route name → scope of the pages cached for anonymous readers. "article" means
# the article's own scope, taken from its address. Add new public pages here.
PAGE_CACHE_VIEWS = {
    "blog:article_list": "lists",
    "blog:article_detail": "article",
    "blog:category_detail": "lists",
    "blog:tag_detail": "lists",
    "blog:author_detail": "lists",
    "blog:archive_year": "lists",
    "blog:archive_month": "lists",
    "blog:archive_day": "lists",
}
# Benchmark only (bench/run.py): a reference view and an X-Query-Count header.
BENCH_MODE = env.bool("BENCH_MODE", default=False)
if BENCH_MODE:
    MIDDLEWARE = ["blog.cache_middleware.QueryCountMiddleware", *MIDDLEWARE]
