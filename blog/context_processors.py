from django.conf import settings

from caching.invalidation import SITE, versions

from . import selectors


def blog(request):
    """The blog's name and tagline, for the header and page titles."""
    return {"BLOG_NAME": settings.BLOG_NAME, "BLOG_TAGLINE": settings.BLOG_TAGLINE}


def fragments(request):
    """What the site's cached fragments ({% cache %}) are named and timed by.

    ``fragment_version`` changes with every change to the published content;
    ``fragment_timeout`` ends at the next scheduled publication, when the
    sidebar's latest articles change by themselves.
    """
    return {"fragment_version": versions(SITE)[SITE], "fragment_timeout": selectors.page_lifetime()}
