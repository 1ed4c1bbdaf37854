"""A person's data as files: JSON for machines, one self-contained HTML page for people."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

from .selectors import PersonalData

FORMATS = ("json", "html")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "html": "text/html; charset=utf-8"}


def export_json(data: PersonalData) -> str:
    return json.dumps(data.as_dict(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n"


def export_html(data: PersonalData) -> str:
    return render_to_string("privacy/export.html", {"data": data, "blog_name": settings.BLOG_NAME})


def export(data: PersonalData, *, format: str) -> str:
    if format not in FORMATS:
        raise ValueError(f"Unknown export format: {format!r}")
    return export_json(data) if format == "json" else export_html(data)


def export_filename(*, format: str) -> str:
    """No address in the name: the file may be saved where others see the list."""
    return f"donnees-personnelles-{timezone.localdate():%Y-%m-%d}.{format}"
