from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag
from taggit.utils import parse_tags

from . import services
from .models import Article, AuthorProfile, Category, FurtherReading


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
        ]  # fmt: skip

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
                ngettext("%(count)d article published.", "%(count)d articles published.", published)
                % {"count": published},
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
            )
            % {"count": count},
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
