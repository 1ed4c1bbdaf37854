"""The article list and form: the workflow, what each role may do, scheduling."""

from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from taggit.models import Tag
from taggit.utils import parse_tags

from blog.models import (
    Article,
    ArticleAuthor,
    FurtherReading,
    author_display_name,
    has_coauthors,
    load_coauthors,
)
from comments import selectors as comment_selectors
from config.admin import CheckedSelectionMixin
from medialib.widgets import rich_text_widget

from . import services
from .autosave import WritingScreenMixin
from .models import ArticleRevision
from .revisions import FIELDS as REVISION_FIELDS
from .revisions import snapshot_diff


def publication_moment(moment):
    """``moment`` as editors read it: "12 déc. à 9 h", "3 janv. 2027 à 14 h 30"."""
    local = timezone.localtime(moment)
    day = date_format(local, "j N" if local.year == timezone.localdate().year else "j N Y")
    if local.minute:
        time = gettext("%(hour)d:%(minute)02d") % {"hour": local.hour, "minute": local.minute}
    else:
        time = gettext("%(hour)d:00") % {"hour": local.hour}
    return gettext("%(day)s at %(time)s") % {"day": day, "time": time}


def publication_state(article):
    """(css class, label) of where ``article`` stands: "Programmé pour le 12 déc. à 9 h", "Publié le…"."""
    if article.is_scheduled:
        return "scheduled", gettext("Scheduled for %(when)s") % {
            "when": publication_moment(article.published_at)
        }
    if article.is_expired:
        return "expired", gettext("Publication ended on %(when)s") % {
            "when": publication_moment(article.unpublish_at)
        }
    if article.is_public:
        return "published", gettext("Published on %(when)s") % {
            "when": publication_moment(article.published_at)
        }
    return article.status, article.get_status_display()


def can_publish(user):
    """Whether ``user`` is an editor: may publish, and may edit every article."""
    return user.has_perm("blog.publish_article")


class AuthorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return author_display_name(user)


def byline_candidates():
    """Who may sign an article: the newsroom's members and the authors of articles
    (imported ones among them), by login; editors pick them by the name readers
    see, without being able to read the accounts themselves."""
    signed = Q(Exists(Article.objects.filter(author=OuterRef("pk")))) | Q(
        Exists(ArticleAuthor.objects.filter(user=OuterRef("pk")))
    )
    return (
        get_user_model()
        .objects.filter(Q(is_staff=True, is_active=True) | signed)
        .select_related("profile")
        .order_by("username")
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
            "title", "slug", "excerpt", "body", "category", "status", "published_at", "unpublish_at",
            "author", "featured", "comments_enabled", "table_of_contents",
            "seo_title", "seo_description", "social_image", "noindex", "canonical_url",
            "featured_image", "featured_image_alt", "featured_image_caption",
        ]  # fmt: skip
        widgets = {"body": rich_text_widget()}

    # The states this form may set; None means all of them.
    allowed_statuses = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = list(self.instance.tags.all())
        status = self.fields.get("status")
        if status is not None and self.allowed_statuses is not None:
            status.choices = [
                (value, label) for value, label in status.choices if value in self.allowed_statuses
            ]

    def clean(self):
        cleaned_data = super().clean()
        # Publishing without a date means "now", as the publish action does.
        if (
            "published_at" in self.fields
            and cleaned_data.get("status") == Article.Status.PUBLISHED
            and not cleaned_data.get("published_at")
        ):
            cleaned_data["published_at"] = timezone.now()
        # The database allows one slug per publication day; say so on the form
        # rather than fail on save (the day is computed, so the form cannot see it).
        published_at = cleaned_data.get("published_at", self.instance.published_at)
        slug = cleaned_data.get("slug")
        if published_at and slug:
            taken = (
                Article.objects.filter(publication_date=timezone.localdate(published_at), slug=slug)
                .exclude(pk=self.instance.pk)
                .exists()
            )
            if taken:
                self.add_error("slug", _("Another article already has this slug on that day."))
        return cleaned_data

    def clean_new_tags(self):
        return parse_tags(self.cleaned_data["new_tags"])

    def save_tags(self, article):
        names = [tag.name for tag in self.cleaned_data["tags"]] + self.cleaned_data["new_tags"]
        article.tags.set(names)


class AuthorArticleAdminForm(ArticleAdminForm):
    """The form authors get: they may keep a draft or submit it, never publish."""

    allowed_statuses = [Article.Status.DRAFT, Article.Status.REVIEW]


class WorkflowStateFilter(admin.SimpleListFilter):
    """The article's place in the workflow; "scheduled" and "online" split the published ones."""

    title = _("workflow state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("review", _("Submitted for review")),
            ("scheduled", _("Scheduled")),
            ("published", _("Online")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.filter(status=Article.Status.DRAFT)
            case "review":
                return queryset.filter(status=Article.Status.REVIEW)
            case "scheduled":
                return queryset.scheduled()
            case "published":
                return queryset.published()
        return queryset


class CoauthorFormSet(forms.BaseInlineFormSet):
    """The co-author rows: never the article's own author again."""

    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            user = data.get("user")
            if user is not None and not data.get("DELETE") and user.pk == self.instance.author_id:
                form.add_error("user", _("This person is already the article's author."))


class CoauthorInline(admin.TabularInline):
    """The byline after the author, in order. Like the author, chosen by editors only."""

    model = ArticleAuthor
    formset = CoauthorFormSet
    extra = 0
    fields = ["user", "position"]
    verbose_name = _("co-author")
    verbose_name_plural = _("co-authors (after the author, by position)")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = byline_candidates()
            kwargs["form_class"] = AuthorChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Rights follow the article's, not the link rows' own permissions (no role has those).
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("blog.view_article") or request.user.has_perm("blog.change_article")

    def has_add_permission(self, request, obj=None):
        return can_publish(request.user) and request.user.has_perm("blog.change_article")

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


class ArticleChangeList(ChangeList):
    """The article list, whose author column names the co-authors too: they are read for
    the whole page at once (none when no article of the page has any)."""

    def get_results(self, request):
        super().get_results(request)
        load_coauthors(self.result_list)


class FurtherReadingInline(admin.TabularInline):
    model = FurtherReading
    extra = 1
    fields = ["title", "url", "position"]


@admin.register(Article)
class ArticleAdmin(WritingScreenMixin, CheckedSelectionMixin, admin.ModelAdmin):
    """The newsroom's desk.

    Authors (no ``blog.publish_article``) see and edit only their own articles,
    and only until they are published; they may keep them as drafts or submit
    them for review. Editors see everything, publish, schedule and send back.
    The rules hold in the querysets, permissions, form and save, not only in
    what the page shows.
    """

    form = ArticleAdminForm
    list_display = [
        "title",
        "status_column",
        "author_column",
        "category",
        "featured",
        "pending_comments_column",
    ]
    list_filter = [
        WorkflowStateFilter,
        "featured",
        "category",
        ("author", admin.RelatedOnlyFieldListFilter),
        "published_at",
    ]
    list_select_related = ["author__profile", "category"]
    search_fields = ["title", "excerpt", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "social_image"]
    inlines = [CoauthorInline, FurtherReadingInline]
    actions = ["submit_for_review", "publish", "publish_now", "send_back_to_draft", "unpublish"]
    save_on_top = True
    fieldsets = [
        # The writing screen (admin/blog/article/change_form.html): "writing-main" on the
        # left, "writing-side" in the side panel ("writing-side-top" at its top).
        (
            None,
            {
                "classes": ["writing-main"],
                "fields": ["title", "slug", "excerpt", "body", "table_of_contents"],
            },
        ),
        (
            _("Featured image"),
            {
                "classes": ["writing-side"],
                "fields": ["featured_image", "featured_image_alt", "featured_image_caption"],
            },
        ),
        (_("Classification"), {"classes": ["writing-side"], "fields": ["category", "tags", "new_tags"]}),
        (
            _("Publication"),
            {
                "classes": ["writing-side", "writing-side-top"],
                "fields": [
                    "where_it_stands",
                    "status",
                    "published_at",
                    "unpublish_at",
                    "author",
                    "featured",
                    "comments_enabled",
                ],
            },
        ),
        (
            _("SEO and sharing"),
            {
                "classes": ["writing-side", "collapse"],
                "description": _(
                    "What search engines and social networks show of the article. Every field is "
                    "optional: left empty, the title, excerpt and featured image are used."
                ),
                "fields": ["seo_title", "seo_description", "social_image", "noindex", "canonical_url"],
            },
        ),
    ]
    readonly_fields = ["where_it_stands"]
    # What only an editor decides.
    editor_only_fields = ["published_at", "unpublish_at", "author", "featured"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            kwargs["queryset"] = byline_candidates()
            kwargs["form_class"] = AuthorChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Permissions ---------------------------------------------------------------

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def _may_edit(self, request, article):
        return can_publish(request.user) or (
            article.author_id == request.user.pk and article.status != Article.Status.PUBLISHED
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or self._may_edit(request, obj)

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .annotate(pending_comments=comment_selectors.pending_count_subquery())
            .annotate(has_coauthors=has_coauthors())
        )
        if not can_publish(request.user):
            queryset = queryset.filter(author=request.user)
        return queryset

    @admin.display(description=_("comments awaiting moderation"), ordering="pending_comments")
    def pending_comments_column(self, article):
        if not article.pending_comments:
            return "—"
        url = reverse("admin:django_comments_xtd_xtdcomment_changelist")
        return format_html(
            '<a href="{}?state=pending&amp;article={}">{}</a>', url, article.pk, article.pending_comments
        )

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not can_publish(request.user):
            # The bulk delete does not ask about each article; authors delete
            # their drafts one by one, from the article's page.
            actions.pop("delete_selected", None)
        return actions

    def get_list_filter(self, request):
        if can_publish(request.user):
            return self.list_filter
        return [f for f in self.list_filter if not (isinstance(f, tuple) and f[0] == "author")]

    def get_readonly_fields(self, request, obj=None):
        if can_publish(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, *self.editor_only_fields]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not can_publish(request.user):
            kwargs["form"] = AuthorArticleAdminForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("author", request.user.pk)
        return initial

    # Saving --------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not can_publish(request.user):
            if not change:
                obj.author = request.user
            # The form already refuses these; this guards any other way in.
            if obj.author_id != request.user.pk or obj.status == Article.Status.PUBLISHED:
                raise PermissionDenied
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.save_tags(form.instance)
        if not change:
            comment = gettext("Created.")
        else:
            changed = [
                str(form.fields[name].label).lower() for name in form.changed_data if name in form.fields
            ]
            changed += [
                str(formset.model._meta.verbose_name_plural) for formset in formsets if formset.has_changed()
            ]
            comment = gettext("Changed %(fields)s.") % {"fields": ", ".join(changed)} if changed else ""
        services.article_revision_create(article=form.instance, user=request.user, comment=comment)

    # List ----------------------------------------------------------------------

    @admin.display(description=_("authors"), ordering="author__username")
    def author_column(self, article):
        return ", ".join(author_display_name(user) for user in article.author_list)

    # The state says the date too ("Publié le 2 déc. à 10 h"): sorted by that date.
    @admin.display(description=_("status"), ordering="published_at")
    def status_column(self, article):
        return format_html('<span class="status status--{}">{}</span>', *publication_state(article))

    @admin.display(description=_("where it stands"))
    def where_it_stands(self, article):
        if article is None or article.pk is None:
            return gettext("New article, not saved yet")
        return self.status_column(article)

    # Workflow actions ------------------------------------------------------------

    def _record(self, request, article, message):
        """What every workflow move leaves behind: a history entry and a version."""
        self.log_change(request, article, message)
        services.article_revision_create(article=article, user=request.user, comment=message)

    def _move(self, request, articles, *, service, history, done, skipped, refuse):
        """Apply one workflow ``service`` to each of ``articles``, then tell the editor what happened.

        ``refuse(article)`` gives the reason an article is left as it is (its
        state, or the user's rights), or None; the service may refuse too (a
        slug already taken that day when published). What was done is counted
        (``done``), what was left is named with its reason (``skipped``), and
        each move is recorded (``history``).
        """
        count, left = 0, defaultdict(list)
        for article in articles:
            reason = refuse(article)
            if reason is None:
                try:
                    with transaction.atomic():
                        service(article=article)
                except services.WorkflowError as error:
                    reason = str(error)
                except IntegrityError:
                    reason = gettext("another article has the same address on that day")
            if reason is not None:
                left[reason].append(f"« {article.title} »")
                continue
            self._record(request, article, history(article))
            count += 1
        if count or not left:
            self.message_user(request, done(count) % {"count": count}, messages.SUCCESS)
        for reason, titles in left.items():
            self.message_user(
                request, skipped % {"titles": ", ".join(titles), "reason": reason}, messages.WARNING
            )

    def _refusal(self, request, article, *, allowed, wrong_state):
        if not self.has_change_permission(request, article):
            return gettext("you may not change it")
        if article.status not in allowed:
            return wrong_state
        return None

    @admin.action(description=_("Submit the selected articles for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._move(
            request,
            queryset,
            service=services.article_submit_for_review,
            refuse=lambda article: self._refusal(
                request, article, allowed=[Article.Status.DRAFT], wrong_state=gettext("only drafts can be")
            ),
            history=lambda article: gettext("Submitted for review."),
            done=lambda count: ngettext(
                "%(count)d article submitted for review.", "%(count)d articles submitted for review.", count
            ),
            skipped=gettext("Not submitted (%(reason)s): %(titles)s"),
        )

    @admin.action(description=_("Send the selected articles back to draft"), permissions=["publish"])
    def send_back_to_draft(self, request, queryset):
        self._move(
            request,
            queryset,
            service=services.article_send_back_to_draft,
            refuse=lambda article: self._refusal(
                request,
                article,
                allowed=[Article.Status.REVIEW],
                wrong_state=gettext("only articles awaiting review can be"),
            ),
            history=lambda article: gettext("Sent back to draft."),
            done=lambda count: ngettext(
                "%(count)d article sent back to draft.", "%(count)d articles sent back to draft.", count
            ),
            skipped=gettext("Not sent back (%(reason)s): %(titles)s"),
        )

    def _publication_refusal(self, article, *, scheduled_too):
        if article.is_public:
            return gettext("already published")
        if article.unpublish_at is not None and article.unpublish_at <= timezone.now():
            # Published now, it would be off the site at once.
            return gettext("its end of publication has passed; change or clear it in the article's form")
        if article.is_scheduled and scheduled_too:
            return gettext("already scheduled for %(when)s; “Publish now” publishes it sooner") % {
                "when": publication_moment(article.published_at)
            }
        return None

    @admin.action(
        description=_("Publish the selected articles (on their date if it is to come)"),
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        self._move(
            request,
            queryset,
            service=services.article_publish,
            refuse=lambda article: self._publication_refusal(article, scheduled_too=True),
            history=lambda article: (
                gettext("Scheduled for publication.") if article.is_scheduled else gettext("Published.")
            ),
            done=lambda count: ngettext(
                "%(count)d article published or scheduled.",
                "%(count)d articles published or scheduled.",
                count,
            ),
            skipped=gettext("Not published (%(reason)s): %(titles)s"),
        )

    @admin.action(description=_("Publish the selected articles now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        self._move(
            request,
            queryset,
            service=lambda article: services.article_publish(article=article, at=timezone.now()),
            refuse=lambda article: self._publication_refusal(article, scheduled_too=False),
            history=lambda article: gettext("Published."),
            done=lambda count: ngettext(
                "%(count)d article published.", "%(count)d articles published.", count
            ),
            skipped=gettext("Not published (%(reason)s): %(titles)s"),
        )

    @admin.action(description=_("Unpublish the selected articles"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._move(
            request,
            queryset,
            service=services.article_unpublish,
            refuse=lambda article: (
                None if article.status == Article.Status.PUBLISHED else gettext("not published nor scheduled")
            ),
            history=lambda article: gettext("Unpublished: moved back to drafts."),
            done=lambda count: ngettext(
                "%(count)d article moved back to drafts.", "%(count)d articles moved back to drafts.", count
            ),
            skipped=gettext("Not unpublished (%(reason)s): %(titles)s"),
        )

    def view_on_site(self, article):
        if article.is_public:
            return article.get_absolute_url()
        return reverse("blog:article_preview", kwargs={"pk": article.pk})

    # Versions ----------------------------------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/versions/",
                self.admin_site.admin_view(self.revisions_view),
                name=f"{prefix}_revisions",
            ),
            path(
                "<path:object_id>/versions/compare/",
                self.admin_site.admin_view(self.revision_compare_view),
                name=f"{prefix}_revision_compare",
            ),
            path(
                "<path:object_id>/versions/<int:revision_id>/restore/",
                self.admin_site.admin_view(require_POST(self.revision_restore_view)),
                name=f"{prefix}_revision_restore",
            ),
            *super().get_urls(),
        ]

    def _get_article_or_404(self, request, object_id):
        """The article, if this user may see it here; authors never reach others' articles."""
        if not request.user.has_perm("editorial.view_articlerevision"):
            raise PermissionDenied
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404
        return article

    def _revision_context(self, request, article, title):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": self.opts,
            "original": article,
            "has_change_permission": self.has_change_permission(request, article),
        }

    def revisions_view(self, request, object_id):
        article = self._get_article_or_404(request, object_id)
        revisions = list(article.revisions.select_related("user"))
        context = self._revision_context(
            request, article, gettext("Versions of “%(title)s”") % {"title": article.title}
        )
        context["revisions"] = revisions
        return TemplateResponse(request, "admin/blog/article/revisions.html", context)

    def revision_compare_view(self, request, object_id):
        article = self._get_article_or_404(request, object_id)
        try:
            old_id, new_id = int(request.GET["old"]), int(request.GET["new"])
        except (KeyError, ValueError):
            self.message_user(request, gettext("Choose two versions to compare."), messages.WARNING)
            return HttpResponseRedirect(
                reverse("admin:blog_article_revisions", kwargs={"object_id": article.pk})
            )
        chosen = article.revisions.filter(pk__in=[old_id, new_id]).select_related("user")
        found = {rev.pk: rev for rev in chosen}
        if old_id not in found or new_id not in found:
            raise Http404
        old, new = sorted([found[old_id], found[new_id]], key=lambda rev: (rev.created_at, rev.pk))
        context = self._revision_context(request, article, gettext("Compare versions"))
        context.update(
            {
                "old": old,
                "new": new,
                "changes": snapshot_diff(old.data, new.data),
                "fields": REVISION_FIELDS,
            }
        )
        return TemplateResponse(request, "admin/blog/article/revision_compare.html", context)

    def revision_restore_view(self, request, object_id, revision_id):
        article = self._get_article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(ArticleRevision, pk=revision_id, article=article)
        try:
            services.article_revision_restore(revision=revision, user=request.user)
        except IntegrityError:
            self.message_user(
                request,
                gettext("This version was not restored: another article has its slug on that day."),
                messages.ERROR,
            )
        else:
            date = date_format(timezone.localtime(revision.created_at), "SHORT_DATETIME_FORMAT")
            self.log_change(request, article, gettext("Restored the version of %(date)s.") % {"date": date})
            self.message_user(request, gettext("The version was restored."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:blog_article_change", args=[article.pk]))
