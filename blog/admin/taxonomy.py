"""Categories and keywords (with their usage and merging)."""

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from config.admin import CheckedSelectionMixin

from .. import services
from ..models import Article, Category


@admin.register(Category)
class CategoryAdmin(CheckedSelectionMixin, admin.ModelAdmin):
    list_display = ["name", "parent", "slug"]
    list_filter = ["parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


class TagUsageFilter(admin.SimpleListFilter):
    title = _("use")
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("used", _("Used by articles")), ("unused", _("Unused"))]

    def queryset(self, request, queryset):
        if self.value() == "used":
            return queryset.filter(article_count__gt=0)
        if self.value() == "unused":
            return queryset.filter(article_count=0)
        return queryset


# taggit registers a Tag admin of its own; this one replaces it.
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(CheckedSelectionMixin, admin.ModelAdmin):
    """Keywords with how many articles use them, the unused ones, and merging of duplicates.

    ``search_fields`` also feeds the keyword autocomplete of the article form.
    """

    list_display = ["name", "slug", "article_count"]
    list_filter = [TagUsageFilter]
    search_fields = ["name"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge"]

    def get_queryset(self, request):
        article_type = ContentType.objects.get_for_model(Article)
        return (
            super()
            .get_queryset(request)
            .annotate(
                article_count=Count(
                    "taggit_taggeditem_items",
                    filter=Q(taggit_taggeditem_items__content_type=article_type),
                )
            )
        )

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, tag):
        return tag.article_count

    @admin.action(description=_("Merge the selected keywords"), permissions=["change", "delete"])
    def merge(self, request, queryset):
        tags = sorted(queryset, key=lambda tag: (-tag.article_count, tag.name.lower()))
        if len(tags) < 2:
            self.message_user(request, gettext("Select at least two keywords to merge."), messages.WARNING)
            return None
        if "apply" in request.POST:
            target = next((tag for tag in tags if str(tag.pk) == request.POST.get("target")), None)
            if target is None:
                self.message_user(request, gettext("Choose the keyword to keep."), messages.ERROR)
            else:
                sources = [tag for tag in tags if tag.pk != target.pk]
                count = services.tag_merge(target=target, sources=sources)
                names = ", ".join(tag.name for tag in sources)
                self.log_change(
                    request, target, gettext("Merged %(names)s into this keyword.") % {"names": names}
                )
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d keyword merged into “%(target)s”.",
                        "%(count)d keywords merged into “%(target)s”.",
                        count,
                    )
                    % {"count": count, "target": target.name},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Merge keywords"),
            "subtitle": None,
            "opts": self.opts,
            "tags": tags,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/taggit/tag/merge.html", context)
