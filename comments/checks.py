"""Start-up checks for the comment settings an operator could get wrong."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def comment_settings(app_configs, **kwargs):
    errors = []
    salt = getattr(settings, "COMMENTS_XTD_SALT", b"")
    if not isinstance(salt, bytes) or len(salt) < 16:
        errors.append(
            Error(
                "COMMENTS_XTD_SALT must be bytes of at least 16 characters.",
                hint="Set the COMMENTS_XTD_SALT environment variable to a long random string.",
                id="comments.E001",
            )
        )
    if settings.COMMENTS_MODERATION not in ("post", "pre"):
        errors.append(
            Error(
                f"COMMENTS_MODERATION is {settings.COMMENTS_MODERATION!r}; it must be 'post' or 'pre'.",
                id="comments.E002",
            )
        )
    return errors
