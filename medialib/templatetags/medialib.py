"""Images inside texts: the media library's renditions, offered to the browser; the
script that plays an embedded video when the reader asks for it."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe

from ..rendering import responsive_body

register = template.Library()


@register.filter
def responsive_images(value):
    """Add WebP and resized copies (``srcset``) to the library images of a text.

    For texts that keep no rendered copy (static pages); an article shows its
    ``body_html``, computed by the same function when it is saved. The input
    must already be trusted, sanitised HTML marked safe (``|safe`` first);
    anything else is escaped.
    """
    if not isinstance(value, SafeData):
        return conditional_escape(value)
    return mark_safe(responsive_body(value))


@register.simple_tag
def embed_player_script():
    """The script that replaces a video's card with its player, on a click only.

    It plays only from the origins the Content-Security-Policy allows in frames
    (``EMBED_PLAYERS``); any other "Play" link stays a plain link.
    """
    origins = " ".join(
        origin for name in settings.EMBED_PLAYERS for origin in settings.EMBED_PLAYER_ORIGINS.get(name, [])
    )
    return format_html(
        '<script src="{}" data-origins="{}" defer></script>', static("medialib/embeds.js"), origins
    )
