from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.contrib.flatpages.admin import FlatPageAdmin as BaseFlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.urls import path, reverse, reverse_lazy
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from taggit.models import Tag
from taggit.utils import parse_tags
from tinymce.widgets import AdminTinyMCE

from . import services
from .models import Article, AuthorProfile, Category, FurtherReading, MediaImage


def rich_text_widget():
    """The editor for article bodies and static pages; images go to the media library."""
    return AdminTinyMCE(
        mce_attrs={
            "images_upload_url": reverse_lazy("admin:blog_mediaimage_upload"),
            "images_upload_handler": "blogEditorUploadImage",
            "image_list": reverse_lazy("admin:blog_mediaimage_library"),
        }
    )


class ArticleAdminForm(forms.ModelForm):
    """Keywords picked from the existing ones with an autocomplete, plus new ones typed in.

    taggit's manager cannot use the admin's autocomplete (its widget posts ids,
    which taggit would store as tags named "1"), so the form offers a real
    many-to-many field on Tag and writes the chosen keywords itself.
    """

    tags = forms.ModelMultipleChoiceField(
        label=_("Keywords"),
        queryset=Tag.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(Article._meta.get_field("tags"), admin.site),
    )
    new_tags = forms.CharField(
        label=_("New keywords"),
        required=False,
        help_text=_("Keywords that do not exist yet, separated by commas."),
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "excerpt", "body", "category", "status", "published_at",
            "author", "featured", "comments_enabled", "seo_description",
            "featured_image", "featured_image_alt", "featured_image_caption",
        ]  # fmt: skip
        widgets = {"body": rich_text_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = list(self.instance.tags.all())

    def clean_new_tags(self):
        return parse_tags(self.cleaned_data["new_tags"])

    def save_tags(self, article):
        names = [tag.name for tag in self.cleaned_data["tags"]] + self.cleaned_data["new_tags"]
        article.tags.set(names)


class FurtherReadingInline(admin.TabularInline):
    model = FurtherReading
    extra = 1
    fields = ["title", "url", "position"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "status_column", "author", "category", "published_at", "featured"]
    list_filter = ["status", "featured", "category", "author", "published_at"]
    list_select_related = ["author", "category"]
    search_fields = ["title", "excerpt", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "category"]
    inlines = [FurtherReadingInline]
    actions = ["publish", "unpublish"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "excerpt", "body"]}),
        (_("Featured image"), {"fields": ["featured_image", "featured_image_alt", "featured_image_caption"]}),
        (_("Classification"), {"fields": ["category", "tags", "new_tags"]}),
        (_("Publication"), {"fields": ["status", "published_at", "author", "featured", "comments_enabled"]}),
        (_("Advanced"), {"classes": ["collapse"], "fields": ["seo_description"]}),
    ]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("author", request.user.pk)
        return initial

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.save_tags(form.instance)

    @admin.display(description=_("status"), ordering="status")
    def status_column(self, article):
        if article.is_scheduled:
            label, css = _("Scheduled"), "scheduled"
        else:
            label, css = article.get_status_display(), article.status
        return format_html('<span class="status status--{}">{}</span>', css, label)

    @admin.action(description=_("Publish the selected articles"), permissions=["change"])
    def publish(self, request, queryset):
        published, refused = 0, []
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            try:
                with transaction.atomic():
                    services.article_publish(article=article)
                published += 1
            except IntegrityError:
                refused.append(article.title)
        if published:
            self.message_user(
                request,
                ngettext(
                    "%(count)d article published.", "%(count)d articles published.", published
                ) % {"count": published},
                messages.SUCCESS,
            )
        for title in refused:
            self.message_user(
                request,
                _("“%(title)s” was not published: another article has the same slug on that day.")
                % {"title": title},
                messages.ERROR,
            )

    @admin.action(description=_("Unpublish the selected articles"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            services.article_unpublish(article=article)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d article moved back to drafts.", "%(count)d articles moved back to drafts.", count
            ) % {"count": count},
            messages.SUCCESS,
        )

    def view_on_site(self, article):
        if article.is_public:
            return article.get_absolute_url()
        return reverse("blog:article_preview", kwargs={"pk": article.pk})


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug"]
    list_filter = ["parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "website"]
    list_select_related = ["user"]
    search_fields = ["display_name", "user__username", "user__email", "bio"]
    autocomplete_fields = ["user"]


class MediaImageForm(forms.ModelForm):
    class Meta:
        model = MediaImage
        fields = ["file", "alt_text"]


@admin.register(MediaImage)
class MediaImageAdmin(admin.ModelAdmin):
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
        # Counted in the changelist's own query: an article uses an image when
        # its body contains the image's stored name (whatever the storage's URL).
        usage = (
            Article.objects.filter(body__contains=OuterRef("file"))
            .order_by()
            .annotate(group=Value(1))
            .values("group")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return super().get_queryset(request).annotate(usage_count=Coalesce(Subquery(usage), 0))

    def get_urls(self):
        return [
            path(
                "upload/", self.admin_site.admin_view(self.upload_view), name="blog_mediaimage_upload"
            ),
            path(
                "library.json", self.admin_site.admin_view(self.library_view), name="blog_mediaimage_library"
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
            for article in image.articles_using(limit=10):
                protected.append(
                    _("%(image)s is shown in the article “%(article)s”")
                    % {"image": image, "article": article.title}
                )
        return deleted, counts, perms_needed, protected

    @admin.display(description=_("image"))
    def thumbnail(self, image):
        return format_html(
            '<img src="{}" alt="" width="80" loading="lazy" decoding="async">', image.file.url
        )

    @admin.display(description=_("preview"))
    def preview(self, image):
        if not image.file:
            return "-"
        return format_html(
            '<img src="{}" alt="" style="max-width:480px;height:auto" width="{}" height="{}">',
            image.file.url, image.width, image.height,
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
            (reverse("admin:blog_article_change", args=[article.pk]), article.title)
            for article in image.articles_using()
        ] + [
            (reverse("admin:flatpages_flatpage_change", args=[page.pk]), page.title)
            for page in FlatPage.objects.filter(content__contains=image.file.name).only("title")[:20]
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


class FlatPageEditorForm(FlatpageForm):
    class Meta(FlatpageForm.Meta):
        widgets = {"content": rich_text_widget()}


admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class FlatPageAdmin(BaseFlatPageAdmin):
    """Static pages get the same editor as articles (their HTML is sanitised on save)."""

    form = FlatPageEditorForm
