"""Images inside texts: the media library's renditions, offered to the browser."""

from django import template
from django.utils.html import conditional_escape
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
