"""Settings for a developer's machine: debug on, a visibly fake secret key."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="local-only-insecure-key-do-not-use-in-production",
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# Serve static files straight from the apps and static/ (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Signs the comment confirmation links; production reads it from the environment.
COMMENTS_XTD_SALT = env("COMMENTS_XTD_SALT", default="local-only-insecure-comments-salt").encode()

# Staff may use the admin without a second factor here (production requires it).
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=False)

# The demo blog (manage.py seed_demo, run by `make run`): development only.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

# A missing page shows the site's own 404 page, as in production, rather than
# Django's technical page (DJANGO_DEBUG_404=1 brings that one back).
if not env.bool("DJANGO_DEBUG_404", default=False):
    MIDDLEWARE = [*MIDDLEWARE, "demo.middleware.SiteNotFoundPageMiddleware"]
