import posixpath

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from . import images
from .signals import media_files_changed


class MediaImage(models.Model):
    """An image uploaded for use inside articles and pages; reusable from the editor."""

    UPLOAD_FOLDER = images.LIBRARY_FOLDER

    file = images.CleanImageField(
        _("file"),
        upload_to=UPLOAD_FOLDER + "%Y/%m/",
        width_field="width",
        height_field="height",
        max_width_setting="BLOG_BODY_IMAGE_MAX_WIDTH",
        help_text=_("JPEG, PNG, GIF or WebP; location data and other metadata are removed."),
    )
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    alt_text = models.CharField(
        _("image description (alternative text)"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, offered when the image is inserted into a text."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        # The table kept its name when the media library left the blog app.
        db_table = "blog_mediaimage"
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("image")
        verbose_name_plural = _("media library")
        indexes = [models.Index(fields=["-uploaded_at"], name="mediaimage_uploaded_idx")]

    def __str__(self):
        return self.alt_text or posixpath.basename(self.file.name)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        with transaction.atomic():
            super().save(*args, **kwargs)
            if "file" in self.get_deferred_fields():
                return
            previous = getattr(self, "_stored_file", "")
            images.image_replaced(
                image_file=self.file, width=self.width, height=self.height, previous_name=previous
            )
            self._stored_file = self.file.name or ""
            if update_fields is None or {"file", "width", "height"} & set(update_fields):
                # Texts showing the new file get its renditions; those showing a
                # replaced one lose the renditions deleted with it.
                media_files_changed.send(sender=MediaImage, names={previous, self.file.name} - {""})

    def get_absolute_url(self):
        # A library image has no page of its own: its address is the file's.
        return self.file.url

    @classmethod
    def from_db(cls, db, field_names, values):
        image = super().from_db(db, field_names, values)
        if "file" in field_names:
            image._stored_file = values[field_names.index("file")] or ""
        return image

    def delete(self, *args, **kwargs):
        # Deleting in bulk (QuerySet.delete()) does not come here; the admin only
        # deletes images that no text shows.
        name = self.file.name
        with transaction.atomic():
            deleted = super().delete(*args, **kwargs)
            media_files_changed.send(sender=MediaImage, names={name} - {""})
        return deleted


class Embed(models.Model):
    """What a video or social post shown in a text looks like, fetched once from its provider.

    Made when an article holding the link is saved (``medialib.embeds``); the
    page shows a card from it (title, provider, our own copy of the picture),
    so a reader's browser asks the provider nothing until the reader chooses to
    play the video. A failed fetch is kept too, so that the next saves do not
    wait for a provider that is down; it is tried again after a while.
    """

    url = models.URLField(_("address"), max_length=500, unique=True)
    provider = models.CharField(_("provider"), max_length=20)
    title = models.CharField(_("title"), max_length=300, blank=True)
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    thumbnail = models.ImageField(
        _("picture"),
        upload_to="embeds/",
        blank=True,
        width_field="thumbnail_width",
        height_field="thumbnail_height",
    )
    thumbnail_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    thumbnail_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    player_url = models.URLField(
        _("player address"),
        max_length=500,
        blank=True,
        help_text=_("The provider's player, loaded only when a reader asks for it."),
    )
    fetched_at = models.DateTimeField(_("fetched"))
    failed = models.BooleanField(_("fetch failed"), default=False)

    class Meta:
        ordering = ["-fetched_at", "-pk"]
        verbose_name = _("embedded content")
        verbose_name_plural = _("embedded contents")

    def __str__(self):
        return self.title or self.url

    def get_absolute_url(self):
        return self.url
