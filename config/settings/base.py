"""Settings shared by every environment.

Values that differ between machines come from the environment (or a ``.env``
file next to ``manage.py``), read with django-environ. The embedded defaults
give a working site with no configuration at all: SQLite, local-memory cache,
e-mail printed on the console.
"""

import datetime
import os
from pathlib import Path

import environ
from django.utils.text import format_lazy
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
# Each release's cached pages and fragments apart from the former's (set it on deploying, e.g. to the commit).
RELEASE = env("DJANGO_RELEASE", default="")
CACHES["default"]["KEY_PREFIX"] = RELEASE
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Pages and fragments as well as counts: more than the 300 entries of Django's default.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
# A Redis cache that fails to answer is not asked again for this many seconds
# (production's caching.backends.CircuitBreakerRedisCache; 0: ask on every call).
CACHE_CIRCUIT_SECONDS = env.float("CACHE_CIRCUIT_SECONDS", default=5.0)

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
    "django.contrib.sitemaps",
    # Full-text search on PostgreSQL; harmless on SQLite (it only acts on PostgreSQL connections).
    "django.contrib.postgres",
]
THIRD_PARTY_APPS = [
    # Some under the names editors read in the admin (config/apps.py).
    "config.apps.KeywordsConfig",
    # django_comments_xtd must come before django_comments (it overrides its templates).
    "config.apps.ReaderCommentsConfig",
    "config.apps.CommentFlagsConfig",
    "csp",
    "config.apps.LoginAttemptsConfig",
    "tinymce",
    "imagekit",
    # Staff's second factor (TOTP apps and one-time backup codes); see accounts/.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    # Background tasks (Django's Tasks API) and their database queue; see TASKS below.
    "django_tasks",
    "django_tasks_db",
]
LOCAL_APPS = [
    "audience",
    "blog",
    "caching",
    "comments",
    "editorial",
    "importers",
    "medialib",
    "newsletter",
    "privacy",
    "search",
    "siteops",
    "wordpress",
]
# accounts comes first: of two apps with a command of the same name, the first
# listed answers it, and its createsuperuser (which says how the new account sets
# up its second factor) extends django.contrib.auth's.
INSTALLED_APPS = ["accounts", *DJANGO_APPS, *THIRD_PARTY_APPS, *LOCAL_APPS]

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
    # First: the page cache's keys name the language.
    "config.middleware.SiteLanguageMiddleware",
    # Before the page cache: a shared link's utm_* and click ids name the same page.
    "caching.middleware.IgnoredParametersMiddleware",
    # ETags for every GET, cached pages included, and 304 answers to them.
    "django.middleware.http.ConditionalGetMiddleware",
    # Then: each response's cache policy; a page served from the cache skips
    # every layer below, and is stored with the headers they add (security, CSP).
    "caching.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.RejectNullCharactersMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether this session gave its second factor (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff: second factor, inactivity, "log out everywhere"; the audit trail's actor.
    "accounts.middleware.StaffSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    "wordpress.middleware.WordPressLinkMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
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
                "blog.context_processors.fragments",
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
# Seconds to wait for the mail server: without a limit, one that stops answering
# would hold the reader's request (and the comment they are posting) forever.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)

# BACKGROUND TASKS (django-tasks with its database backend; see siteops/scheduler.py)
# ------------------------------------------------------------------------------
# E-mails and periodic jobs run in a worker ("manage.py run_worker"), not in the
# reader's request. The queue is a table of the site's own database: nothing else
# to run. TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs each
# task at once in the process that enqueues it (no worker; the tests use it).
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    },
}
# An e-mail the mail server refused or could not take is tried again after
# TASKS_MAIL_RETRY_SECONDS, doubling each time up to TASKS_MAIL_RETRY_MAX_SECONDS,
# at most TASKS_MAIL_MAX_ATTEMPTS times in all (12: about half a day).
TASKS_MAIL_RETRY_SECONDS = env.int("TASKS_MAIL_RETRY_SECONDS", default=30)
TASKS_MAIL_RETRY_MAX_SECONDS = env.int("TASKS_MAIL_RETRY_MAX_SECONDS", default=3600)
TASKS_MAIL_MAX_ATTEMPTS = env.int("TASKS_MAIL_MAX_ATTEMPTS", default=12)
# Periodic jobs, enqueued by the worker's scheduler (no cron needed): the task's
# dotted path and its period in seconds. Each period's run is enqueued once,
# however many workers run on however many machines.
TASKS_SCHEDULER_INTERVAL = env.int("TASKS_SCHEDULER_INTERVAL", default=20)
PERIODIC_TASKS = {
    "newsletter-new-articles": {"task": "newsletter.tasks.dispatch_new_articles", "every": 60},
    "newsletter-weekly-digest": {"task": "newsletter.tasks.send_weekly_digests", "every": 60 * 60},
    "close-old-comments": {"task": "siteops.tasks.close_old_comments", "every": 24 * 60 * 60},
    "purge-spam": {"task": "siteops.tasks.purge_spam", "every": 24 * 60 * 60},
    "purge-personal-data": {"task": "privacy.tasks.purge_personal_data", "every": 24 * 60 * 60},
    "audience-flush": {"task": "audience.tasks.flush_counts", "every": 5 * 60},
}
# Removed comments (spam, trash) are deleted by the daily job after this many days.
COMMENTS_PURGE_SPAM_DAYS = env.int("COMMENTS_PURGE_SPAM_DAYS", default=30)
# The links of published articles are checked every LINK_CHECK_EVERY_DAYS days
# (0: never; weekly runs start on Thursdays at midnight UTC, the epoch's weekday);
# the broken ones are kept in the task's result and e-mailed to LINK_CHECK_REPORT_TO
# (comma-separated addresses; none by default).
LINK_CHECK_EVERY_DAYS = env.int("LINK_CHECK_EVERY_DAYS", default=7)
LINK_CHECK_REPORT_TO = env.list("LINK_CHECK_REPORT_TO", default=[])
if LINK_CHECK_EVERY_DAYS > 0:
    PERIODIC_TASKS["check-links"] = {
        "task": "siteops.tasks.check_links",
        "every": LINK_CHECK_EVERY_DAYS * 24 * 60 * 60,
    }
# Finished task rows are deleted daily: successful ones after TASKS_KEEP_RESULTS_DAYS,
# failed ones (what an operator comes back to read) after TASKS_KEEP_FAILED_RESULTS_DAYS.
TASKS_KEEP_RESULTS_DAYS = env.int("TASKS_KEEP_RESULTS_DAYS", default=14)
TASKS_KEEP_FAILED_RESULTS_DAYS = env.int("TASKS_KEEP_FAILED_RESULTS_DAYS", default=30)
PERIODIC_TASKS["prune-task-results"] = {"task": "siteops.tasks.prune_task_results", "every": 24 * 60 * 60}

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

# MEDIA, IMAGES AND RICH TEXT
# ------------------------------------------------------------------------------
# Uploaded files go through the "default" storage. Local disk (MEDIA_ROOT) is the
# default; MEDIA_STORAGE=s3 switches to any S3-compatible object storage through
# django-storages, configured by the AWS_* variables below.
MEDIA_STORAGE = env("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
            "location": env("AWS_LOCATION", default=""),
            # Public images: plain URLs that browsers and CDNs can cache.
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE != "local":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")

# Uploaded images: refused above this file size (bytes) or this number of pixels
# (a small file can declare huge dimensions: a "decompression bomb").
BLOG_IMAGE_MAX_UPLOAD_SIZE = env.int("BLOG_IMAGE_MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
BLOG_IMAGE_MAX_PIXELS = env.int("BLOG_IMAGE_MAX_PIXELS", default=40_000_000)
# Featured images are stored no wider than this (pixels); their renditions are
# made from this copy.
BLOG_IMAGE_ORIGINAL_MAX_WIDTH = env.int("BLOG_IMAGE_ORIGINAL_MAX_WIDTH", default=2400)
# Images inserted in a body are stored no wider than this (pixels).
BLOG_BODY_IMAGE_MAX_WIDTH = env.int("BLOG_BODY_IMAGE_MAX_WIDTH", default=1600)
# Widths (pixels) of the featured image's renditions. After a change, run
# "manage.py regenerate_renditions".
BLOG_RENDITION_WIDTHS = env.list("BLOG_RENDITION_WIDTHS", cast=int, default=[400, 800, 1200])

# Renditions (django-imagekit) are made when an image is saved and then assumed to
# exist: showing a page never checks or writes the storage.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"
IMAGEKIT_CACHEFILE_DIR = "renditions"

# The admin's rich text editor (TinyMCE, served from our static files). The
# toolbar matches what medialib.sanitize.sanitize_html keeps; the upload handler and the
# image list are set per widget in blog.admin.
TINYMCE_DEFAULT_CONFIG = {
    "license_key": "gpl",
    "height": 560,
    "menubar": False,
    "promotion": False,
    "branding": False,
    "browser_spellcheck": True,
    "plugins": "autolink,lists,link,image,code,wordcount",
    "toolbar": (
        "undo redo | blocks | bold italic | bullist numlist | blockquote link image | removeformat code"
    ),
    # Level 1 is the article's title; the labels follow the admin's language.
    "block_formats": format_lazy(
        "{}=p; {}=h2; {}=h3; {}=h4; {}=pre",
        _("Paragraph"),
        _("Heading 2"),
        _("Heading 3"),
        _("Heading 4"),
        _("Preformatted text"),
    ),
    "image_caption": True,
    "image_dimensions": True,
    "image_advtab": False,
    "image_uploadtab": True,
    "automatic_uploads": True,
    "paste_data_images": True,
    "link_default_protocol": "https",
    "link_assume_external_targets": "https",
    "relative_urls": False,
    "remove_script_host": True,
    "convert_urls": False,
    "entity_encoding": "raw",
}
# The upload handler, as a static file: the editor needs no inline script.
TINYMCE_EXTRA_MEDIA = {"js": ["blog/admin/editor.js"]}

# Embeds (medialib.embeds): a paragraph holding only a link to a video or a post
# becomes a card when the article is saved, from the provider's data fetched once
# (each request at most EMBED_FETCH_TIMEOUT seconds, a save at most
# EMBED_SAVE_BUDGET seconds of fetching; a failed link stays a link and is tried
# again EMBED_RETRY_SECONDS later). EMBED_FETCH=false fetches nothing (cards come
# only from data already stored).
EMBED_FETCH = env.bool("EMBED_FETCH", default=True)
EMBED_FETCH_TIMEOUT = env.float("EMBED_FETCH_TIMEOUT", default=3.0)
EMBED_SAVE_BUDGET = env.float("EMBED_SAVE_BUDGET", default=10.0)
EMBED_RETRY_SECONDS = env.int("EMBED_RETRY_SECONDS", default=3600)
# Mastodon posts are recognised on these servers only (their own oEmbed is asked).
EMBED_MASTODON_SERVERS = env.list(
    "EMBED_MASTODON_SERVERS",
    default=["mastodon.social", "mastodon.online", "mstdn.social", "piaille.fr", "mamot.fr", "framapiaf.org"],
)
# Providers whose player a reader may load, in place of the card, once they click
# "Play": the Content-Security-Policy's frame-src allows these origins and no other.
# Leave one out of EMBED_PLAYERS and its cards keep only the link.
EMBED_PLAYER_ORIGINS = {
    "youtube": ["https://www.youtube-nocookie.com"],
    "vimeo": ["https://player.vimeo.com"],
    "dailymotion": ["https://geo.dailymotion.com", "https://www.dailymotion.com"],
}
EMBED_PLAYERS = env.list("EMBED_PLAYERS", default=["youtube", "vimeo", "dailymotion"])

# BACKUPS (siteops: manage.py backup / restore)
# ------------------------------------------------------------------------------
# When set, backups carry an HMAC-SHA256 of their manifest made with this key,
# and restore refuses an archive that is unsigned or signed with another key.
BACKUP_SIGNING_KEY = env("BACKUP_SIGNING_KEY", default="")
# Restore refuses an archive whose files add up to more than this (bytes, once
# unpacked), or holding a media file larger than this; both read from the
# archive before anything is unpacked.
BACKUP_RESTORE_MAX_SIZE = env.int("BACKUP_RESTORE_MAX_SIZE", default=5 * 1024**3)
BACKUP_RESTORE_MAX_FILE_SIZE = env.int("BACKUP_RESTORE_MAX_FILE_SIZE", default=50 * 1024**2)

# DISCOVERY (feeds, sitemap, search, related articles)
# ------------------------------------------------------------------------------
# Feeds carry the excerpt by default, so that readers come to the site for the
# whole article, its further reading and its discussion; true puts the full text in.
BLOG_FEED_FULL_CONTENT = env.bool("BLOG_FEED_FULL_CONTENT", default=False)
BLOG_FEED_ITEMS = env.int("BLOG_FEED_ITEMS", default=20)
# How many articles "Further reading" suggests under an article, after the editor's links.
BLOG_RELATED_COUNT = env.int("BLOG_RELATED_COUNT", default=4)
# Search ranks at most this many of the most recent matching articles (PostgreSQL),
# so that a word found everywhere costs no more than a rare one.
SEARCH_MAX_RESULTS = env.int("SEARCH_MAX_RESULTS", default=1000)

# READER COMMENTS (comments app, on django-comments-xtd)
# ------------------------------------------------------------------------------
# Replies nest down to this level (0 = top-level comment): 3 would mean a reply
# to a reply to a reply. Deep enough for the threads blogs bring along on import
# (WordPress conversations 14 replies deep are common); the page stops indenting
# after the third level. Read once by django-comments-xtd at start-up.
COMMENTS_XTD_MAX_THREAD_LEVEL = env.int("COMMENTS_MAX_THREAD_LEVEL", default=20)
COMMENTS_XTD_CONFIRM_EMAIL = True
COMMENTS_XTD_FORM_CLASS = "comments.forms.CommentForm"
# Our own services send the mails, inside transaction.on_commit, not in a thread.
COMMENTS_XTD_THREADED_EMAILS = False
COMMENTS_XTD_FROM_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_CONTACT_EMAIL = DEFAULT_FROM_EMAIL
COMMENT_MAX_LENGTH = env.int("COMMENTS_MAX_LENGTH", default=3000)
# COMMENTS_XTD_SALT signs the confirmation links (signed pickles): it is set per
# environment (local.py / test.py fake defaults, production.py from the environment).

# Discussions close by themselves this many days after publication (0: never);
# close_old_comments also closes them for good on the articles themselves.
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=90)
# "post": publish at once and moderate afterwards; "pre": hold every comment.
COMMENTS_MODERATION = env("COMMENTS_MODERATION", default="post")
# Hold the first comment of an e-mail address until a moderator approves one.
COMMENTS_PREMODERATE_FIRST_TIME = env.bool("COMMENTS_PREMODERATE_FIRST_TIME", default=True)
# Hold comments carrying more than this many links.
COMMENTS_MAX_LINKS = env.int("COMMENTS_MAX_LINKS", default=2)
# E-mail the moderators about each comment awaiting moderation.
COMMENTS_NOTIFY_MODERATORS = env.bool("COMMENTS_NOTIFY_MODERATORS", default=True)
# Minimum number of seconds between showing the form and posting it.
COMMENTS_MIN_SUBMIT_SECONDS = env.int("COMMENTS_MIN_SUBMIT_SECONDS", default=3)
# At most COMMENTS_RATE_LIMIT posts per address in COMMENTS_RATE_PERIOD seconds.
COMMENTS_RATE_LIMIT = env.int("COMMENTS_RATE_LIMIT", default=5)
COMMENTS_RATE_PERIOD = env.int("COMMENTS_RATE_PERIOD", default=600)
# Behind a reverse proxy, the rate limit counts per client address as set by
# DJANGO_TRUSTED_PROXY_COUNT (see config/security.py).
# Gravatar pictures (a request to an outside service per commenter) or initials.
COMMENTS_GRAVATAR = env.bool("COMMENTS_GRAVATAR", default=False)
# Dotted path of an external spam checker (Akismet-style), off when empty.
COMMENTS_SPAM_CHECKER = env("COMMENTS_SPAM_CHECKER", default="")
# Scheme of the links in comment e-mails (the domain is the Site's).
COMMENTS_LINK_SCHEME = env("COMMENTS_LINK_SCHEME", default="http")
# Long discussions come this many conversations (a comment and its replies) a page.
COMMENTS_THREADS_PER_PAGE = env.int("COMMENTS_THREADS_PER_PAGE", default=50)
# A reader may edit or delete their own comment for this many minutes after posting it (0: never).
COMMENTS_EDIT_MINUTES = env.int("COMMENTS_EDIT_MINUTES", default=15)

# NEWSLETTER (newsletter app: new articles by e-mail, double opt-in)
# ------------------------------------------------------------------------------
# What a message carries of the article: its excerpt and a link (false) or its full text.
NEWSLETTER_FULL_CONTENT = env.bool("NEWSLETTER_FULL_CONTENT", default=False)
NEWSLETTER_FROM_EMAIL = env("NEWSLETTER_FROM_EMAIL", default=DEFAULT_FROM_EMAIL)
# Messages go out in batches of this many, at most NEWSLETTER_RATE_PER_MINUTE a minute.
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=50)
NEWSLETTER_RATE_PER_MINUTE = env.int("NEWSLETTER_RATE_PER_MINUTE", default=600)
# An article found public more than this many hours after its publication date
# is not sent (an import, or the archive when the newsletter is switched on).
NEWSLETTER_MAX_ARTICLE_AGE_HOURS = env.int("NEWSLETTER_MAX_ARTICLE_AGE_HOURS", default=48)
# The weekly digest leaves on this day (0: Monday … 6: Sunday) from this hour (site time).
NEWSLETTER_DIGEST_WEEKDAY = env.int("NEWSLETTER_DIGEST_WEEKDAY", default=0)
NEWSLETTER_DIGEST_HOUR = env.int("NEWSLETTER_DIGEST_HOUR", default=8)
# At most this many subscription requests per client address and hour.
NEWSLETTER_SUBSCRIBE_RATE_LIMIT = env.int("NEWSLETTER_SUBSCRIBE_RATE_LIMIT", default=5)
# Bounces and complaints reported by the mail provider (django-anymail's webhooks,
# at /lettre/anymail/<provider>/tracking/, see newsletter/signals.py) stop sending
# to the address. The webhook exists only once ANYMAIL_WEBHOOK_SECRET is set: the
# "user:password" (comma-separated, to rotate) the provider's calls must carry.
# Every other ANYMAIL_<NAME> variable becomes ANYMAIL["<NAME>"] (text), e.g.
# ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY for a provider that signs its calls.
# Sending itself stays on EMAIL_URL (SMTP): the provider's relay reports bounces too.
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and name != "ANYMAIL_WEBHOOK_SECRET"
}
ANYMAIL["WEBHOOK_SECRET"] = env.list("ANYMAIL_WEBHOOK_SECRET", default=[])

# PRIVACY (privacy app: the readers' rights, retention, the privacy page)
# ------------------------------------------------------------------------------
# Who is responsible for the data and whom to ask, as the privacy page says.
PRIVACY_CONTROLLER_NAME = env("PRIVACY_CONTROLLER_NAME", default=BLOG_NAME)
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL", default=DEFAULT_FROM_EMAIL)
# A comment's IP address is erased by the daily job after this many days.
PRIVACY_COMMENT_IP_DAYS = env.int("PRIVACY_COMMENT_IP_DAYS", default=30)
# A reader's link to their data (export, erasure) works this many hours.
PRIVACY_LINK_MAX_AGE_HOURS = env.int("PRIVACY_LINK_MAX_AGE_HOURS", default=24)
# At most this many requests per client address and hour on the request form.
PRIVACY_REQUEST_RATE_LIMIT = env.int("PRIVACY_REQUEST_RATE_LIMIT", default=5)

# AUDIENCE (audience app: page views counted without cookies)
# ------------------------------------------------------------------------------
# Views are counted in the cache per bucket of AUDIENCE_BUCKET_SECONDS, and the
# worker adds closed buckets to the database (every 5 minutes); a bucket not
# flushed within AUDIENCE_BUFFER_SECONDS is lost. A client sends at most
# AUDIENCE_RATE_LIMIT views a minute; a bucket holds at most
# AUDIENCE_MAX_KEYS_PER_BUCKET (article, day, referrer) counters.
AUDIENCE_ENABLED = env.bool("AUDIENCE_ENABLED", default=True)
AUDIENCE_BUCKET_SECONDS = env.int("AUDIENCE_BUCKET_SECONDS", default=60)
AUDIENCE_BUFFER_SECONDS = env.int("AUDIENCE_BUFFER_SECONDS", default=2 * 24 * 60 * 60)
AUDIENCE_RATE_LIMIT = env.int("AUDIENCE_RATE_LIMIT", default=30)
AUDIENCE_MAX_KEYS_PER_BUCKET = env.int("AUDIENCE_MAX_KEYS_PER_BUCKET", default=20000)

# HARDENING: CONTENT SECURITY POLICY, LOGIN PROTECTION, REVERSE PROXIES
# ------------------------------------------------------------------------------
# Content-Security-Policy (django-csp): scripts, styles and images from our own
# origin only; no inline script, no plugin, no framing by another site.
# JSON-LD (<script type="application/ld+json">) is a data block, not run, so it
# is not affected by script-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Images from object storage or a CDN: add its origin in DJANGO_CSP_IMG_ORIGINS.
        "img-src": ["'self'", "data:", *env.list("DJANGO_CSP_IMG_ORIGINS", default=[])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        # Video players, only those of EMBED_PLAYERS, loaded when a reader clicks "Play".
        "frame-src": [
            "'self'",
            *(origin for name in EMBED_PLAYERS for origin in EMBED_PLAYER_ORIGINS.get(name, [])),
        ],
    },
}

# Number of reverse proxies in front of the site that append to X-Forwarded-For
# (0: none, the header is ignored). See config/security.py.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# Login lockout (django-axes): after AXES_FAILURE_LIMIT failed logins from one
# address, logging in from there is refused (HTTP 429) for AXES_COOLOFF_MINUTES.
# Unlock early with: manage.py axes_reset_ip ADDRESS (or axes_reset).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the session generation with the user (accounts/).
    "accounts.backends.AccountBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
AXES_USERNAME_CALLABLE = "config.security.login_username"
AXES_LOCKOUT_CALLABLE = "config.views.login_locked"
AXES_VERBOSE = False

# STAFF ACCOUNTS (accounts: second factor, audit trail, sessions)
# ------------------------------------------------------------------------------
# Staff give a code from an authenticator app (or a one-time backup code) after
# their password; those without one are sent to enrol before any admin page.
# Local and test settings turn it off.
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=True)
# The name authenticator apps show next to the code.
OTP_TOTP_ISSUER = BLOG_NAME
# Seconds of a wrong code's lockout double with each further wrong code (1, 2, 4…).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# django-otp's own device admin never shows secrets (ours replaces it anyway).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Security keys and passkeys (django-otp-webauthn): another second factor, added
# from one's security page once signed in with the app. A passkey belongs to one
# domain (the relying party) and its subdomains: changing WEBAUTHN_RP_ID later
# means registering the keys again. Browsers allow WebAuthn on https:// pages and
# on http://localhost (not http://127.0.0.1: an address is not a domain).
OTP_WEBAUTHN_RP_NAME = BLOG_NAME
OTP_WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID", default="localhost")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list("WEBAUTHN_ALLOWED_ORIGINS", default=["http://localhost:8000"])
# Never instead of the password: a key is a second factor here.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# A staff session unused for this many minutes is closed (0: never).
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=60)
# Entries of the audit trail are kept this many days: the worker deletes older
# ones daily (or run manage.py purge_audit_trail from cron).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)
PERIODIC_TASKS["purge-audit-trail"] = {"task": "accounts.tasks.purge_audit_trail", "every": 24 * 60 * 60}

# CACHING
# ------------------------------------------------------------------------------
# Public pages are the same for every anonymous reader and say so: an HTTP cache
# in front (Varnish, a CDN) may keep them CACHE_SHARED_MAX_AGE seconds, or less
# when a scheduled article is due sooner; every change purges the pages it
# affects (see caching/). Browsers revalidate them after CACHE_BROWSER_MAX_AGE.
CACHE_SHARED_MAX_AGE = env.int("CACHE_SHARED_MAX_AGE", default=60 * 60)
CACHE_BROWSER_MAX_AGE = env.int("CACHE_BROWSER_MAX_AGE", default=0)
# The HTTP caches told to purge after each change, e.g. http://127.0.0.1:6081/
# (a PURGE request with the keys in an xkey-purge header; see deploy/varnish/).
HTTP_CACHE_PURGE_URLS = env.list("HTTP_CACHE_PURGE_URLS", default=[])
HTTP_CACHE_PURGE_TIMEOUT = env.float("HTTP_CACHE_PURGE_TIMEOUT", default=2.0)
# Django's own page cache, for anonymous readers, in the default cache: with
# several server processes it must be shared (CACHE_URL=redis://…).
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
# Query parameters that sharing adds to links, ignored on GET requests ("name*": a prefix).
IGNORED_QUERY_PARAMETERS = ["utm_*", "fbclid", "gclid", "dclid", "msclkid", "twclid", "igshid", "mc_*"]
# A request carrying one of these cookies (a session: a logged-in user; pending
# messages) gets pages made for it alone, never from or into a shared cache.
PAGE_CACHE_BYPASS_COOKIES = ["sessionid", "messages"]
# Benchmark only (bench/run.py): a reference view and an X-Query-Count header.
BENCH_MODE = env.bool("BENCH_MODE", default=False)
if BENCH_MODE:
    INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
    MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
