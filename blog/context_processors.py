from django.conf import settings


def blog(request):
    """The blog's name and tagline, for the header and page titles."""
    return {"BLOG_NAME": settings.BLOG_NAME, "BLOG_TAGLINE": settings.BLOG_TAGLINE}
