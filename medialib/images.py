"""Uploaded images: checked, stripped of their metadata, and turned into renditions.

Every image that editors upload (featured images, images inside a body) goes
through ``clean_image_upload``: a real image, not too heavy, not a
decompression bomb, re-encoded by Pillow so that EXIF data (GPS position,
camera serial number) never reaches the public site.

Featured images get renditions at a few widths, in WebP and in the original's
format (JPEG or PNG) for older browsers. They are made by django-imagekit after
the image is saved, by the worker (``tasks.make_renditions``) or, without one,
in the request; pages only compute their names and URLs, never touch the
storage, so showing an image costs no query and no file access. While the
worker has not made them yet, a mark in the cache says so and pages show the
stored image instead.
"""

import hashlib
import io
import logging
import posixpath
import warnings
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from imagekit import ImageSpec
from imagekit.cachefiles import ImageCacheFile
from PIL import Image, ImageOps, UnidentifiedImageError
from pilkit.processors import ResizeToFit

logger = logging.getLogger(__name__)

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
# Every media library file is stored under this folder; texts are searched for it.
LIBRARY_FOLDER = "library/"
# Originals are kept in one of these two formats; renditions use it as the fallback.
FALLBACK_MIME_TYPES = {".jpg": "image/jpeg", ".png": "image/png"}


# Upload checks and clean-up
# ------------------------------------------------------------------------------
def clean_image_upload(upload, *, max_width: int | None = None) -> ContentFile:
    """Check that ``upload`` is a usable image and return a clean copy of it.

    The copy is decoded and re-encoded by Pillow: metadata (EXIF, XMP, comments)
    is dropped, the EXIF orientation is applied to the pixels, and the image is
    scaled down to ``max_width`` if it is wider. Images with transparency, PNGs
    and GIFs become PNG; everything else becomes JPEG.
    """
    limit = settings.BLOG_IMAGE_MAX_UPLOAD_SIZE
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("This file is too large (%(size)s). The limit is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice its limit: refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels_error()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not an image, or not one in a format we accept (JPEG, PNG, GIF, WebP)."),
            code="not_an_image",
        )
    if image.format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("Images in the %(format)s format are not accepted: use JPEG, PNG, GIF or WebP."),
            code="unsupported_format",
            params={"format": image.format},
        )
    width, height = image.size
    if width * height > settings.BLOG_IMAGE_MAX_PIXELS:
        raise _too_many_pixels_error()
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This image is damaged or incomplete (the upload may have been cut off)."),
            code="damaged_image",
        )
    return ContentFile(_reencode(image, max_width=max_width), name=_clean_name(upload.name, image))


def _too_many_pixels_error():
    return ValidationError(
        _("This image is too large in pixels (at most %(limit)s million pixels)."),
        code="too_many_pixels",
        params={"limit": settings.BLOG_IMAGE_MAX_PIXELS // 1_000_000},
    )


def _has_transparency(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info)


def _keeps_png(image: Image.Image) -> bool:
    return image.format in {"PNG", "GIF"} or _has_transparency(image)


def _clean_name(name: str, image: Image.Image) -> str:
    stem = slugify(posixpath.splitext(posixpath.basename(name or ""))[0])[:60] or "image"
    return f"{stem}{'.png' if _keeps_png(image) else '.jpg'}"


def _reencode(image: Image.Image, *, max_width: int | None) -> bytes:
    as_png = _keeps_png(image)
    icc_profile = image.info.get("icc_profile")
    # exif_transpose turns the pixels as the camera meant and returns a new image.
    clean = ImageOps.exif_transpose(image)
    clean = clean.convert("RGBA" if as_png and _has_transparency(clean) else "RGB")
    if max_width and clean.width > max_width:
        clean = clean.resize(
            (max_width, max(1, round(clean.height * max_width / clean.width))), Image.Resampling.LANCZOS
        )
    # A fresh info dict: nothing from the original file is written back but
    # its colour profile, which carries no personal data.
    clean.info = {}
    options = {"icc_profile": icc_profile} if icc_profile else {}
    buffer = io.BytesIO()
    if as_png:
        clean.save(buffer, "PNG", optimize=True, **options)
    else:
        clean.save(buffer, "JPEG", quality=88, optimize=True, progressive=True, **options)
    return buffer.getvalue()


class CleanImageFormField(forms.ImageField):
    """An image upload that goes through ``clean_image_upload``: clear errors, clean file."""

    def __init__(self, *args, max_width=None, **kwargs):
        self.max_width = max_width
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        # Django's ImageField check is replaced by ours, which names the problem.
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return clean_image_upload(upload, max_width=self.max_width)


class CleanImageField(models.ImageField):
    """An ImageField whose form cleans uploads with ``clean_image_upload``.

    ``max_width_setting`` names a setting: uploads wider than its value are
    scaled down before they are stored.
    """

    def __init__(self, *args, max_width_setting=None, **kwargs):
        self.max_width_setting = max_width_setting
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.max_width_setting:
            kwargs["max_width_setting"] = self.max_width_setting
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        max_width = getattr(settings, self.max_width_setting) if self.max_width_setting else None
        return super().formfield(**{"form_class": CleanImageFormField, "max_width": max_width, **kwargs})


# Renditions
# ------------------------------------------------------------------------------
class RenditionSpec(ImageSpec):
    """One rendition of a source image: a width and a format.

    imagekit names the file after the source's name and a hash of these
    parameters, so a new image or new sizes give new files, never stale ones.
    """

    def __init__(self, source, *, width: int, format: str):
        self.processors = [ResizeToFit(width=width, upscale=False)]
        self.format = format
        self.options = {
            "WEBP": {"quality": 80, "method": 4},
            "JPEG": {"quality": 82, "optimize": True, "progressive": True},
            "PNG": {"optimize": True},
        }[format]
        super().__init__(source)


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int
    mime_type: str


@dataclass(frozen=True)
class Picture:
    """What a template needs to show a responsive image, computed without I/O.

    While its renditions are being made, ``pending`` is true, ``webp`` is
    empty and ``fallback`` holds the stored image alone.
    """

    webp: list[Rendition]
    fallback: list[Rendition]
    pending: bool = False

    @property
    def webp_srcset(self) -> str:
        return ", ".join(f"{r.url} {r.width}w" for r in self.webp)

    @property
    def fallback_srcset(self) -> str:
        return ", ".join(f"{r.url} {r.width}w" for r in self.fallback)

    @property
    def fallback_type(self) -> str:
        return self.fallback[0].mime_type

    @property
    def default(self) -> Rendition:
        """The rendition for browsers without srcset: the middle size."""
        return self.fallback[len(self.fallback) // 2]


def rendition_widths(source_width: int) -> list[int]:
    """The configured widths, capped at the source's own width (never enlarged)."""
    return sorted({min(width, source_width) for width in settings.BLOG_RENDITION_WIDTHS})


def fallback_format(name: str) -> str:
    return "PNG" if name.lower().endswith(".png") else "JPEG"


def rendition_files(image_file, width: int, height: int) -> list[tuple[ImageCacheFile, int, int]]:
    """Every rendition of ``image_file`` (an ImageFieldFile of ``width`` x ``height``).

    Returns (file, width, height) triples, WebP first. The dimensions are
    computed the way pilkit's ResizeToFit computes them.
    """
    files = []
    for format in ("WEBP", fallback_format(image_file.name)):
        for target in rendition_widths(width):
            rendition_height = round(height * target / width) if target < width else height
            spec = RenditionSpec(image_file, width=target, format=format)
            files.append((ImageCacheFile(spec), target, rendition_height))
    return files


def picture_for(image_file, width: int | None, height: int | None) -> Picture | None:
    if not image_file or not width or not height:
        return None
    storage = image_file.storage
    if renditions_pending(name=image_file.name):
        original = Rendition(
            url=storage.url(image_file.name),
            width=width,
            height=height,
            mime_type=_mime_type(image_file.name),
        )
        return Picture(webp=[], fallback=[original], pending=True)
    webp, fallback = [], []
    for cache_file, w, h in rendition_files(image_file, width, height):
        mime_type = "image/webp" if cache_file.name.endswith(".webp") else _mime_type(cache_file.name)
        # storage.url() builds the address from the name; it reads nothing.
        rendition = Rendition(url=storage.url(cache_file.name), width=w, height=h, mime_type=mime_type)
        (webp if mime_type == "image/webp" else fallback).append(rendition)
    return Picture(webp=webp, fallback=fallback)


def _mime_type(name: str) -> str:
    return FALLBACK_MIME_TYPES.get(posixpath.splitext(name)[1].lower(), "image/jpeg")


def renditions_generate(*, image_file, width: int, height: int, force: bool = False) -> int:
    """Make the renditions of ``image_file`` that do not exist yet (all of them with
    ``force``); return how many were written."""
    written = 0
    storage = image_file.storage
    for cache_file, _w, _h in rendition_files(image_file, width, height):
        if force or not storage.exists(cache_file.name):
            if force and storage.exists(cache_file.name):
                storage.delete(cache_file.name)
            cache_file.generate(force=True)
            written += 1
    renditions_done(name=image_file.name)
    return written


def _pending_key(name: str) -> str:
    return "renditions-pending:" + hashlib.sha256(name.encode()).hexdigest()


def renditions_pending(*, name: str) -> bool:
    """Whether the worker has yet to make the renditions of the stored image ``name``.

    Without a worker nothing is ever pending, and nothing is read.
    """
    from . import tasks  # the tasks module imports this one

    return bool(name) and tasks.queued() and cache.get(_pending_key(name)) is not None


def renditions_done(*, name: str) -> None:
    """Pages may name the renditions of ``name`` again."""
    cache.delete(_pending_key(name))


def renditions_schedule(*, image_file, width: int, height: int) -> None:
    """Have the renditions of a newly saved ``image_file`` made: by the worker once the
    change is committed, or at once without a worker.

    The mark is set before the commit, so that no page names renditions that
    do not exist yet. It never expires: if the worker fails, pages keep showing
    the stored image until ``regenerate_renditions`` is run.
    """
    from . import tasks  # the tasks module imports this one

    if not tasks.queued():
        renditions_generate(image_file=image_file, width=width, height=height)
        return
    name, instance = image_file.name, image_file.instance
    cache.set(_pending_key(name), True, timeout=None)
    arguments = {
        "model": instance._meta.label,
        "pk": instance.pk,
        "field": image_file.field.name,
        "name": name,
    }
    transaction.on_commit(lambda: tasks.make_renditions.enqueue(**arguments))


def image_replaced(*, image_file, width, height, previous_name: str) -> None:
    """After a model saved ``image_file``: have the renditions of a new image made and,
    once the change is committed, delete the replaced image and its renditions."""
    current = image_file.name or ""
    if current == previous_name:
        return
    if current and width and height:
        renditions_schedule(image_file=image_file, width=width, height=height)
    if previous_name:
        storage = image_file.storage
        transaction.on_commit(lambda: image_delete(name=previous_name, storage=storage))


def rendition_directory(name: str) -> str:
    """Where imagekit puts the renditions of the source file ``name``."""
    return posixpath.join(settings.IMAGEKIT_CACHEFILE_DIR, posixpath.splitext(name)[0])


def renditions_prune(*, image_file, width: int, height: int) -> int:
    """Delete the files of ``image_file``'s rendition folder that are no longer
    current renditions (after a change of sizes); return how many."""
    current = {cache_file.name for cache_file, _w, _h in rendition_files(image_file, width, height)}
    directory = rendition_directory(image_file.name)
    removed = 0
    for name in stored_files(image_file.storage, directory):
        path = posixpath.join(directory, name)
        if path not in current:
            image_file.storage.delete(path)
            removed += 1
    return removed


def image_delete(*, name: str, storage=None) -> int:
    """Delete the stored image ``name`` and all its renditions; return how many files went."""
    if not name:
        return 0
    storage = storage or storages["default"]
    removed = 0
    directory = rendition_directory(name)
    for file_name in stored_files(storage, directory):
        storage.delete(posixpath.join(directory, file_name))
        removed += 1
    if storage.exists(name):
        storage.delete(name)
        removed += 1
    return removed


def stored_files(storage, directory: str) -> list[str]:
    """The names of the files in ``directory`` of ``storage`` (none if it does not exist)."""
    try:
        return storage.listdir(directory)[1]
    except (FileNotFoundError, NotADirectoryError):
        return []
