"""Images inside texts: the media library's renditions, offered to the browser."""

import html
import re
from urllib.parse import unquote

from django import template
from django.core.files.storage import storages
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

from .. import images
from ..models import MediaImage

register = template.Library()

IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
ATTRIBUTE = re.compile(r'\s([a-zA-Z-]+)="([^"]*)"')
# The text column is at most this wide (CSS pixels); narrower on phones.
COLUMN_WIDTH = 760


@register.filter
def responsive_images(value):
    """Add WebP and resized copies (``srcset``) to the library images of a text.

    The input must already be trusted, sanitised HTML marked safe (``|safe``
    first); anything else is escaped. A text without library images costs no
    query; one with some costs one query, whatever their number.
    """
    if not isinstance(value, SafeData):
        return conditional_escape(value)
    prefix = storages["default"].url(MediaImage.UPLOAD_FOLDER)
    if prefix not in value:
        return value
    found = []
    for match in IMG_TAG.finditer(value):
        attributes = dict(ATTRIBUTE.findall(match.group(0)))
        src = html.unescape(attributes.get("src", ""))
        if src.startswith(prefix) and "srcset" not in attributes:
            found.append((match, attributes, MediaImage.UPLOAD_FOLDER + unquote(src[len(prefix) :])))
    if not found:
        return value
    library = {
        image.file.name: image
        for image in MediaImage.objects.filter(file__in={name for _m, _a, name in found}).only(
            "file", "width", "height"
        )
    }
    parts, position = [], 0
    for match, attributes, name in found:
        image = library.get(name)
        picture = image and images.picture_for(image.file, image.width, image.height)
        if not picture:
            continue
        shown_width = int(attributes["width"]) if attributes.get("width", "").isdigit() else COLUMN_WIDTH
        sizes = f"(max-width: 860px) 100vw, {min(shown_width, COLUMN_WIDTH)}px"
        tag = match.group(0)
        img = f'{tag[:-1].rstrip("/ ")} srcset="{escape(picture.fallback_srcset)}" sizes="{sizes}">'
        parts += [
            value[position : match.start()],
            f'<picture><source type="image/webp" srcset="{escape(picture.webp_srcset)}" sizes="{sizes}">',
            img,
            "</picture>",
        ]
        position = match.end()
    parts.append(value[position:])
    return mark_safe("".join(parts))
