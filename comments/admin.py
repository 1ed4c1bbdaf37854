"""The moderators' queue: django-comments-xtd's stock admin replaced by one built for moderation."""

from django.contrib import admin, messages
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_comments.models import CommentFlag
from django_comments_xtd.models import BlackListedDomain, XtdComment

from blog.models import Article
from config.admin import CheckedSelectionMixin

from . import selectors, services
from .models import ModerationPolicy


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("pending", _("Awaiting moderation")),
            ("public", _("Public")),
            ("flagged", _("Flagged by readers")),
            ("removed", _("Removed")),
            ("spam", _("Spam")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "pending":
            return queryset.filter(is_public=False, is_removed=False)
        if value == "public":
            return queryset.filter(is_public=True, is_removed=False)
        if value == "flagged":
            return queryset.filter(pk__in=selectors.flagged_comments().values("pk"))
        if value == "removed":
            return queryset.filter(is_removed=True)
        if value == "spam":
            return queryset.filter(pk__in=selectors.spam_comments().values("pk"))
        return queryset


class ArticleFilter(admin.SimpleListFilter):
    """The 50 most recently commented articles (older ones: search or the article's link)."""

    title = _("article")
    parameter_name = "article"

    def lookups(self, request, model_admin):
        keys = (
            XtdComment.norel_objects.filter(content_type=selectors.article_content_type())
            .values("object_pk")
            .annotate(last=Max("submit_date"))
            .order_by("-last")
            .values_list("object_pk", flat=True)[:50]
        )
        pks = [int(key) for key in keys if key.isdigit()]
        return [(str(article.pk), article.title) for article in Article.objects.filter(pk__in=pks)]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(content_type=selectors.article_content_type(), object_pk=self.value())
        return queryset


# django-comments-xtd registers its generic admin; moderators get this one instead.
if admin.site.is_registered(XtdComment):
    admin.site.unregister(XtdComment)
# Its list of blocked domains only acts through its own moderator class, which
# this site does not use (spam is caught by comments.forms): no list that does nothing.
if admin.site.is_registered(BlackListedDomain):
    admin.site.unregister(BlackListedDomain)


# Who wrote a comment: only superusers may correct it.
AUTHORSHIP_FIELDS = ["user", "user_name", "user_email", "user_url"]


@admin.register(XtdComment)
class CommentModerationAdmin(CheckedSelectionMixin, admin.ModelAdmin):
    list_display = ["excerpt", "user_name", "user_email", "article_link", "state_column", "submit_date"]
    list_display_links = ["excerpt"]
    list_filter = [StateFilter, ArticleFilter, "submit_date"]
    list_select_related = ["content_type"]
    search_fields = ["user_name", "user_email", "comment"]
    date_hierarchy = "submit_date"
    ordering = ["-submit_date", "-pk"]
    raw_id_fields = ["user"]
    list_per_page = 50
    actions = ["approve", "remove", "mark_spam"]
    readonly_fields = ["article_link", "ip_address", "submit_date", "level", "followup"]
    fieldsets = [
        (None, {"fields": ["article_link", "user_name", "user_email", "user_url", "comment"]}),
        (_("State"), {"fields": ["is_public", "is_removed"]}),
        (
            _("Advanced"),
            {"classes": ["collapse"], "fields": ["user", "ip_address", "submit_date", "level", "followup"]},
        ),
    ]

    def get_queryset(self, request):
        spam = CommentFlag.objects.filter(comment=OuterRef("pk"), flag=selectors.SPAM_FLAG)
        return (
            super()
            .get_queryset(request)
            .prefetch_related("content_object")
            .annotate(
                is_spam=Exists(spam),
                flag_count=Count("flags", filter=Q(flags__flag=CommentFlag.SUGGEST_REMOVAL)),
            )
        )

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        """Moderators change a comment's state, not who wrote it: a comment
        given to the article's author would wear the "Author" badge."""
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        return [*readonly, *AUTHORSHIP_FIELDS]

    def get_object(self, request, object_id, from_field=None):
        # XtdComment's primary key is its parent link to Comment, whose lookups
        # skip Django's integer-overflow guard: a huge id would fail in the database.
        if from_field is None and not (
            object_id.isdigit() and selectors.is_possible_comment_pk(int(object_id))
        ):
            return None
        return super().get_object(request, object_id, from_field)

    def changelist_view(self, request, extra_context=None):
        pending = selectors.comments_awaiting_moderation().count()
        extra_context = {
            **(extra_context or {}),
            "title": ngettext(
                "Comments – %(count)d awaiting moderation",
                "Comments – %(count)d awaiting moderation",
                pending,
            )
            % {"count": pending},
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.comment).chars(80)

    @admin.display(description=_("article"))
    def article_link(self, comment):
        article = comment.content_object
        if not isinstance(article, Article):
            return "—"
        url = (
            f"{article.get_absolute_url()}#c{comment.pk}" if article.is_public else article.get_absolute_url()
        )
        return format_html('<a href="{}">{}</a>', url, article.title)

    @admin.display(description=_("state"))
    def state_column(self, comment):
        if getattr(comment, "is_spam", False):
            label, css = _("Spam"), "spam"
        elif comment.is_removed:
            label, css = _("Removed"), "removed"
        elif not comment.is_public:
            label, css = _("Awaiting moderation"), "pending"
        else:
            label, css = _("Public"), "public"
        flags = getattr(comment, "flag_count", 0)
        if flags:
            return format_html(
                '<span class="status status--{}">{}</span> ({})',
                css,
                label,
                _("flagged %(n)d×") % {"n": flags},
            )
        return format_html('<span class="status status--{}">{}</span>', css, label)

    @admin.action(description=_("Approve the selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        count = services.comments_approve(
            comments=queryset, moderator=request.user, site_url=services.site_url_of(request)
        )
        message = ngettext("%(count)d comment approved.", "%(count)d comments approved.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Remove the selected comments"), permissions=["change"])
    def remove(self, request, queryset):
        count = services.comments_remove(comments=queryset, moderator=request.user)
        message = ngettext("%(count)d comment removed.", "%(count)d comments removed.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Mark the selected comments as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        count = services.comments_mark_spam(comments=queryset, moderator=request.user)
        message = ngettext("%(count)d comment marked as spam.", "%(count)d comments marked as spam.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(ModerationPolicy)
class ModerationPolicyAdmin(CheckedSelectionMixin, admin.ModelAdmin):
    list_display = ["article", "moderation"]
    list_filter = ["moderation"]
    list_select_related = ["article"]
    search_fields = ["article__title"]
    autocomplete_fields = ["article"]
