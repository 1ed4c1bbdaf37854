"""The media library: the images uploaded in the editor or imported."""

from django import forms
from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from config.admin import CheckedSelectionMixin

from . import usage
from .models import Embed, MediaImage


class MediaImageForm(forms.ModelForm):
    class Meta:
        model = MediaImage
        fields = ["file", "alt_text"]


@admin.register(MediaImage)
class MediaImageAdmin(CheckedSelectionMixin, admin.ModelAdmin):
    """The media library: images uploaded from the editor, or here, to reuse in texts."""

    form = MediaImageForm
    list_display = ["thumbnail", "__str__", "dimensions", "uploaded_by", "uploaded_at", "usage_count"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["uploaded_at", ("uploaded_by", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["uploaded_by"]
    search_fields = ["alt_text", "file"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "address", "dimensions", "uploaded_by", "uploaded_at", "where_used"]
    fieldsets = [
        (None, {"fields": ["file", "alt_text"]}),
        (_("Details"), {"fields": ["preview", "address", "dimensions", "uploaded_by", "uploaded_at"]}),
        (_("Where it is used"), {"fields": ["where_used"]}),
    ]

    def get_queryset(self, request):
        # Counted in the changelist's own query (see usage.py).
        return super().get_queryset(request).annotate(usage_count=usage.usage_count())

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="medialib_mediaimage_upload"),
            path(
                "library.json",
                self.admin_site.admin_view(self.library_view),
                name="medialib_mediaimage_library",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        if not change and obj.uploaded_by_id is None:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_deleted_objects(self, objs, request):
        """An image shown in articles is protected: deleting it would leave holes in them."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            for text in usage.texts_using(image, limit=10):
                protected.append(
                    _("%(image)s is shown in “%(text)s” (%(kind)s)")
                    % {"image": image, "text": text, "kind": text._meta.verbose_name}
                )
        return deleted, counts, perms_needed, protected

    @admin.display(description=_("image"))
    def thumbnail(self, image):
        return format_html('<img src="{}" alt="" width="80" loading="lazy" decoding="async">', image.file.url)

    @admin.display(description=_("preview"))
    def preview(self, image):
        if not image.file:
            return "-"
        return format_html(
            '<img src="{}" alt="" style="max-width:480px;height:auto" width="{}" height="{}">',
            image.file.url,
            image.width,
            image.height,
        )

    @admin.display(description=_("address"))
    def address(self, image):
        return image.file.url if image.file else "-"

    @admin.display(description=_("size in pixels"))
    def dimensions(self, image):
        return f"{image.width} × {image.height}" if image.width else "-"

    @admin.display(description=_("used by"), ordering="usage_count")
    def usage_count(self, image):
        return ngettext("%(count)d article", "%(count)d articles", image.usage_count) % {
            "count": image.usage_count
        }

    @admin.display(description=_("articles and pages"))
    def where_used(self, image):
        if not image.pk:
            return "-"
        links = [
            (reverse(admin_urlname(text._meta, "change"), args=[text.pk]), str(text))
            for text in usage.texts_using(image)
        ]
        if not links:
            return _("Not used in any article or page.")
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a></li>', links))

    def upload_view(self, request):
        """Receives an image from the editor; answers in the JSON that TinyMCE expects."""
        return require_POST(self._upload)(request)

    def _upload(self, request):
        if not self.has_add_permission(request):
            return JsonResponse({"error": {"message": str(_("You may not add images."))}}, status=403)
        form = MediaImageForm(data={"alt_text": ""}, files=request.FILES)
        if not form.is_valid():
            message = " ".join(str(error) for errors in form.errors.values() for error in errors)
            return JsonResponse({"error": {"message": message}}, status=400)
        image = form.save(commit=False)
        image.uploaded_by = request.user
        image.save()
        return JsonResponse({"location": image.file.url, "width": image.width, "height": image.height})

    def library_view(self, request):
        """The latest images, for the editor's "image list" (pick an image already uploaded)."""
        return require_GET(self._library)(request)

    def _library(self, request):
        if not self.has_view_permission(request):
            return JsonResponse([], safe=False, status=403)
        images = MediaImage.objects.only("file", "alt_text")[:100]
        return JsonResponse([{"title": str(image), "value": image.file.url} for image in images], safe=False)


@admin.register(Embed)
class EmbedAdmin(admin.ModelAdmin):
    """What providers said of the videos and posts shown in texts, as fetched when saving.

    Nothing to write here: rows are made by saving a text. Deleting one has the
    provider asked again at the next save of a text that shows it (a title that
    changed, a failure that will not wait for the retry delay).
    """

    list_display = ["__str__", "provider", "url", "fetched_at", "failed"]
    list_filter = ["provider", "failed"]
    search_fields = ["url", "title", "author_name"]
    date_hierarchy = "fetched_at"
    readonly_fields = [
        "url", "provider", "title", "author_name", "thumbnail", "player_url", "fetched_at", "failed",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["url", "provider", "title", "author_name", "thumbnail"]}),
        (_("Advanced"), {"classes": ["collapse"], "fields": ["player_url", "fetched_at", "failed"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
