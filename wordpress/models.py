from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedItem(models.Model):
    """What a WordPress object became here, so that importing the same export again
    updates the objects it created instead of duplicating them.

    ``source`` is the exporting site (host and path, scheme dropped, so a blog that
    moved from http to https is still the same source); ``wp_id`` is the WordPress
    identifier of the object within its kind (post ID, term ID, comment ID, login).
    """

    class Kind(models.TextChoices):
        AUTHOR = "author", _("Author")
        CATEGORY = "category", _("Category")
        TAG = "tag", _("Tag")
        POST = "post", _("Post")
        PAGE = "page", _("Page")
        COMMENT = "comment", _("Comment")
        ATTACHMENT = "attachment", _("Attachment")

    source = models.CharField(_("source site"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    wp_id = models.CharField(_("WordPress identifier"), max_length=200)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("content type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    content_object = GenericForeignKey("content_type", "object_id")
    stored_file = models.CharField(
        _("stored file"),
        max_length=255,
        blank=True,
        help_text=_("For attachments: the file's name in the media storage."),
    )
    imported_at = models.DateTimeField(_("last imported"), auto_now=True)

    class Meta:
        # The table kept its name when the WordPress tools left the blog app.
        db_table = "blog_importeditem"
        ordering = ["source", "kind", "wp_id"]
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "wp_id"], name="imported_item_unique"),
        ]
        indexes = [models.Index(fields=["kind", "wp_id"], name="imported_item_lookup_idx")]

    def __str__(self):
        return f"{self.source} {self.kind} {self.wp_id}"
