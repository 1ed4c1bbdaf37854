"""The moderators' queue: django-comments-xtd's stock admin replaced by one built for moderation.

Besides the bulk actions, each row has its own buttons and reply form, and
shows what the comment is about (its article, the comment it answers). The
queue's script (``comments/static/comments/moderation_queue.js``) makes the
buttons work without a reload and adds keyboard shortcuts; without it every
button is a plain form post.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
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


def comment_state(comment) -> str:
    """The state a row shows, from the stock fields and the ``is_spam`` annotation."""
    if getattr(comment, "is_spam", False):
        return "spam"
    if comment.is_removed:
        return "removed"
    return "public" if comment.is_public else "pending"


@dataclass(frozen=True)
class RowAction:
    """A button of the queue's rows: its label, its keyboard key and the states it applies to."""

    label: str
    key: str
    states: frozenset
    done: str


ROW_ACTIONS = {
    "approve": RowAction(
        _("Approve"),
        "a",
        frozenset({"pending", "removed", "spam"}),
        _("The comment by %(name)s is approved."),
    ),
    "spam": RowAction(
        _("Spam"),
        "s",
        frozenset({"pending", "public", "removed"}),
        _("The comment by %(name)s is marked as spam."),
    ),
    "remove": RowAction(
        _("Remove"), "r", frozenset({"pending", "public"}), _("The comment by %(name)s is removed.")
    ),
}


class StaffReplyForm(forms.Form):
    """An editor's answer to a comment, from its row in the queue or from its page.

    The queue is a single HTML form (the admin's actions need it), so each
    row's text gets a name of its own: the form's prefix (``reply_prefix``).
    """

    # Many of them share the queue's form: the server says what is missing.
    use_required_attribute = False

    comment = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 30}),
        max_length=settings.COMMENT_MAX_LENGTH,
        error_messages={"required": _("Write your reply before posting it.")},
    )


def reply_prefix(comment) -> str:
    return f"reply-{comment.pk}"


def wants_json(request) -> bool:
    """The queue's script asks for JSON; a plain form post gets a redirect."""
    return "application/json" in request.headers.get("Accept", "")


@admin.register(XtdComment)
class CommentModerationAdmin(CheckedSelectionMixin, admin.ModelAdmin):
    list_display = ["excerpt", "writer", "article_link", "state_column", "submit_date"]
    list_display_links = ["excerpt"]
    list_filter = [StateFilter, ArticleFilter, "submit_date"]
    list_select_related = ["content_type"]
    search_fields = ["user_name", "user_email", "comment"]
    date_hierarchy = "submit_date"
    ordering = ["-submit_date", "-pk"]
    raw_id_fields = ["user"]
    list_per_page = 50
    actions = ["approve", "remove", "mark_spam"]
    readonly_fields = ["article_link", "in_reply_to", "ip_address", "submit_date", "level", "followup"]
    fieldsets = [
        (None, {"fields": ["article_link", "in_reply_to", "user_name", "user_email", "user_url", "comment"]}),
        (_("State"), {"fields": ["is_public", "is_removed"]}),
        (
            _("Advanced"),
            {"classes": ["collapse"], "fields": ["user", "ip_address", "submit_date", "level", "followup"]},
        ),
    ]

    change_list_template = "admin/comments/xtdcomment/change_list.html"
    change_form_template = "admin/comments/xtdcomment/change_form.html"

    class Media:
        css = {"all": ["comments/moderation_queue.css"]}
        js = ["comments/moderation_queue.js"]

    def get_queryset(self, request):
        spam = CommentFlag.objects.filter(comment=OuterRef("pk"), flag=selectors.SPAM_FLAG)
        # A reply's parent, for its row: read in the list's own query, not once per row.
        parent = XtdComment.norel_objects.filter(pk=OuterRef("parent_id")).exclude(pk=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .prefetch_related("content_object")
            .annotate(
                is_spam=Exists(spam),
                flag_count=Count("flags", filter=Q(flags__flag=CommentFlag.SUGGEST_REMOVAL)),
                parent_name=Subquery(parent.values("user_name")[:1]),
                parent_start=Subquery(parent.annotate(start=Substr("comment", 1, 120)).values("start")[:1]),
            )
        )

    # The queue's own pages: moderating or answering one comment
    # ------------------------------------------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/moderate/<slug:action>/",
                self.admin_site.admin_view(self.moderate_view),
                name=f"{prefix}_moderate",
            ),
            path(
                "<path:object_id>/reply/",
                self.admin_site.admin_view(self.reply_view),
                name=f"{prefix}_reply",
            ),
            *super().get_urls(),
        ]

    def _url(self, name, *args):
        app_label, model_name = self.opts.app_label, self.opts.model_name
        return reverse(f"admin:{app_label}_{model_name}_{name}", args=args, current_app=self.admin_site.name)

    def _comment_to_change(self, request, object_id):
        """The comment named in the address, if this user may change it (404, 403 otherwise)."""
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            raise Http404(gettext("No comment has this number."))
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        return comment

    def _next_url(self, request) -> str:
        """Where to go back to: the ``next`` the page gave if it stays on this site, else the
        queue with the filters it had (the admin's preserved filters)."""
        candidate = request.POST.get("next") or request.GET.get("next") or ""
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
        context = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return add_preserved_filters(context, self._url("changelist"))

    def moderate_view(self, request, object_id, action):
        """Approve, mark as spam or remove one comment from its row, with the bulk actions' services.

        The queue's script asks for JSON and updates the row in place; a plain
        form post is redirected back to the queue with a message.
        """
        if action not in ROW_ACTIONS:
            raise Http404(gettext("No such moderation action."))
        comment = self._comment_to_change(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comments = XtdComment.norel_objects.filter(pk=comment.pk)
        if action == "approve":
            count = services.comments_approve(
                comments=comments, moderator=request.user, site_url=services.site_url_of(request)
            )
        elif action == "spam":
            count = services.comments_mark_spam(comments=comments, moderator=request.user)
        else:
            count = services.comments_remove(comments=comments, moderator=request.user)
        name = comment.user_name or gettext("an anonymous reader")
        if count:
            message, level = ROW_ACTIONS[action].done % {"name": name}, messages.SUCCESS
            self.log_change(request, comment, message)
        else:
            message = gettext("The comment by %(name)s was already in that state: nothing changed.") % {
                "name": name
            }
            level = messages.INFO
        next_url = self._next_url(request)
        if wants_json(request):
            updated = self.get_queryset(request).select_related("content_type").get(pk=comment.pk)
            return JsonResponse(
                {
                    "message": message,
                    "level": "success" if level == messages.SUCCESS else "info",
                    "state": comment_state(updated),
                    "state_html": self.state_column(updated),
                    "controls_html": self.row_controls(updated, next_url=next_url),
                }
            )
        self.message_user(request, message, level)
        return HttpResponseRedirect(next_url)

    def reply_view(self, request, object_id):
        """Answer one comment as the signed-in editor; errors come back on this page, with the text."""
        comment = self._comment_to_change(request, object_id)
        form = StaffReplyForm(
            request.POST if request.method == "POST" else None, prefix=reply_prefix(comment)
        )
        refusal = services.staff_reply_refusal(parent=comment)
        if request.method == "POST" and not refusal and form.is_valid():
            try:
                # No IP address: it serves to moderate readers, not the site's own staff.
                reply = services.comment_reply_as_staff(
                    parent=comment,
                    user=request.user,
                    text=form.cleaned_data["comment"],
                    site_url=services.site_url_of(request),
                )
            except services.CommentRefused as refused:
                form.add_error(None, refused.message)
            else:
                self.log_change(request, comment, gettext("Replied from the moderation queue."))
                article = Article.objects.get(pk=int(reply.object_pk))
                self.message_user(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        gettext("Your reply to %(name)s is published.") % {"name": comment.user_name},
                        services.comment_url(reply, article),
                        gettext("See it on the article"),
                    ),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._next_url(request))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Reply to %(name)s") % {"name": comment.user_name},
            "subtitle": None,
            "opts": self.opts,
            "original": comment,
            "comment": comment,
            "context_html": self.render_context(comment, article_admin=self._can_open_articles(request)),
            "reply_form": None if refusal else form,
            "reply_refusal": refusal,
            "reply_url": self._url("reply", comment.pk),
            "next": self._next_url(request),
            "media": self.media,
        }
        return TemplateResponse(request, "admin/comments/xtdcomment/reply.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self.get_object(request, unquote(object_id))
        if comment is not None and self.has_change_permission(request, comment):
            refusal = services.staff_reply_refusal(parent=comment)
            extra_context = {
                **(extra_context or {}),
                "reply_form": None if refusal else StaffReplyForm(prefix=reply_prefix(comment)),
                "reply_refusal": refusal,
                "reply_url": self._url("reply", comment.pk),
                "reply_next": self._url("changelist"),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    # The queue's columns
    # ------------------------------------------------------------------------------

    @staticmethod
    def _can_open_articles(request) -> bool:
        return request.user.has_perm("blog.view_article") or request.user.has_perm("blog.change_article")

    def get_list_display(self, request):
        """The article column with its context, and the row buttons for those who may change comments.

        Both depend on the request (what the user may open, the CSRF token is
        the list form's, the queue's address to come back to): they are
        columns made for this request.
        """
        article_admin = self._can_open_articles(request)
        next_url = request.get_full_path()

        @admin.display(description=_("article and context"))
        def context(comment):
            return self.render_context(comment, article_admin=article_admin)

        columns = [context if name == "article_link" else name for name in super().get_list_display(request)]
        if self.has_change_permission(request):

            @admin.display(description=_("moderate"))
            def moderation(comment):
                return self.row_controls(comment, next_url=next_url)

            columns.append(moderation)
        return columns

    def render_context(self, comment, *, article_admin: bool):
        """The comment's article (public page, and its admin page when the user may open it) and,
        for a reply, the start of the comment it answers."""
        article = comment.content_object
        parts = [self.article_link(comment)]
        if isinstance(article, Article) and article_admin:
            parts.append(
                format_html(
                    '<a class="comment-context__admin" href="{}">{}</a>',
                    reverse("admin:blog_article_change", args=[article.pk], current_app=self.admin_site.name),
                    gettext("edit the article"),
                )
            )
        html = format_html(
            '<span class="comment-context__article">{}</span>',
            format_html_join(" · ", "{}", ((p,) for p in parts)),
        )
        parent = self._parent_of(comment)
        if parent is not None:
            html = format_html(
                '{}<span class="comment-context__parent">{}</span>',
                html,
                format_html(gettext("In reply to {name}: “{start}”"), name=parent[0], start=parent[1]),
            )
        return html

    @staticmethod
    def _parent_of(comment):
        """The name and start of the comment that ``comment`` answers (annotated), or None."""
        name = getattr(comment, "parent_name", None)
        if not comment.level or name is None:
            return None
        return name, Truncator(comment.parent_start or "").chars(80)

    @admin.display(description=_("in reply to"))
    def in_reply_to(self, comment):
        parent = self._parent_of(comment)
        if parent is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            self._url("change", comment.parent_id),
            gettext("{name}: “{start}”").format(name=parent[0], start=parent[1]),
        )

    def row_controls(self, comment, *, next_url: str):
        """A row's buttons (only those its state allows) and its reply form."""
        state = comment_state(comment)
        actions = [
            {
                "name": name,
                "label": action.label,
                "key": action.key,
                "url": self._url("moderate", comment.pk, name),
            }
            for name, action in ROW_ACTIONS.items()
            if state in action.states
        ]
        refusal = services.staff_reply_refusal(parent=comment)
        return render_to_string(
            "admin/comments/xtdcomment/row_controls.html",
            {
                "comment": comment,
                "actions": actions,
                "next": next_url,
                "reply_form": None if refusal else StaffReplyForm(prefix=reply_prefix(comment)),
                "reply_url": self._url("reply", comment.pk),
            },
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
            "can_moderate": self.has_change_permission(request),
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

    @admin.display(description=_("written by"), ordering="user_name")
    def writer(self, comment):
        return format_html(
            '<span class="comment-writer__name">{}</span> <span class="comment-writer__email">{}</span>',
            comment.user_name,
            comment.user_email,
        )

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
        css = comment_state(comment)
        label = {
            "spam": _("Spam"),
            "removed": _("Removed"),
            "pending": _("Awaiting moderation"),
            "public": _("Public"),
        }[css]
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
