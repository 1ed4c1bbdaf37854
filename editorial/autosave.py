"""The article's writing screen: autosaved drafts and the live preview of the unsaved form.

An autosave keeps what an editor is typing (the content fields only, never the
status or the publication) in ``ArticleAutosave``, every few seconds, without
touching the article: the article changes only when its form is saved, which
deletes the autosave. The live preview renders the form's content with the
public template, through the same view as the saved article's preview, from an
article that is never saved.

The writes live here rather than in ``services.py``: they concern this screen
alone and are called by nothing else.
"""

import datetime

from csp.decorators import csp_replace
from django import forms
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from taggit.models import Tag

from blog.models import LISTING_ANNOTATIONS, Article, ArticleAuthor, author_display_name
from blog.templatetags.blog_tags import WORDS_PER_MINUTE
from blog.views import ArticlePreviewView
from medialib.rendering import article_body
from medialib.sanitize import sanitize_html

from .models import ArticleAutosave

# What an autosave keeps: what the editor writes, not what decides publication.
CONTENT_FIELDS = ["title", "excerpt", "body", "seo_title", "seo_description"]
# Far above any real article; a bigger post is refused rather than stored.
BODY_MAX_LENGTH = 2_000_000


class AutosaveForm(forms.Form):
    """The content fields an autosave posts, and the version of the article the editor loaded."""

    title = forms.CharField(
        required=False, strip=False, max_length=Article._meta.get_field("title").max_length
    )
    excerpt = forms.CharField(required=False, strip=False, max_length=20_000)
    body = forms.CharField(required=False, strip=False, max_length=BODY_MAX_LENGTH)
    seo_title = forms.CharField(
        required=False, strip=False, max_length=Article._meta.get_field("seo_title").max_length
    )
    seo_description = forms.CharField(
        required=False, strip=False, max_length=Article._meta.get_field("seo_description").max_length
    )
    based_on = forms.DateTimeField(required=False)

    def __init__(self, *args, article=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        if article is not None:
            self.fields["based_on"].required = True

    def content(self):
        return {name: self.cleaned_data[name] for name in CONTENT_FIELDS}


def clock(moment):
    """``moment`` as a time of day in the site's zone: "14:02"."""
    return date_format(timezone.localtime(moment), "TIME_FORMAT")


# Writes ----------------------------------------------------------------------------


@transaction.atomic
def autosave_store(
    *, article: Article | None, user, data: dict, based_on: datetime.datetime | None
) -> ArticleAutosave:
    """Keep ``data`` as ``user``'s autosave of ``article`` (None: an article not saved yet)."""
    autosave, _created = ArticleAutosave.objects.update_or_create(
        article=article,
        user=user,
        defaults={"data": data, "based_on": based_on, "saved_at": timezone.now()},
    )
    return autosave


def autosave_discard(*, article: Article | None, user) -> int:
    """Delete ``user``'s autosave of ``article`` (None: of their article not saved yet)."""
    deleted, _details = ArticleAutosave.objects.filter(article=article, user=user).delete()
    return deleted


# Reads -----------------------------------------------------------------------------


def autosave_pending(*, article: Article | None, user) -> ArticleAutosave | None:
    """``user``'s autosave of ``article`` if it holds work the article does not: newer than its last save."""
    autosave = ArticleAutosave.objects.filter(article=article, user=user).first()
    if autosave is None:
        return None
    if article is not None and autosave.saved_at <= article.updated_at:
        return None
    return autosave


def last_editor_name(article: Article) -> str:
    """Who saved ``article`` last, by the name readers see (from its latest version)."""
    revision = article.revisions.select_related("user__profile").first()
    if revision is None or revision.user is None:
        return gettext("someone else")
    return author_display_name(revision.user)


# The admin's side ------------------------------------------------------------------


class WritingScreenMixin:
    """For the article's ``ModelAdmin``: the autosave and live preview endpoints, the
    writing screen's data for its template, and the autosave deleted by a real save."""

    class Media:
        css = {"all": ["editorial/writing.css"]}
        js = ["editorial/writing.js"]

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        site = self.admin_site
        # Shown in the writing screen's frame: framing by the site itself only
        # (the site's policy refuses every frame otherwise).
        preview = csp_replace({"frame-ancestors": ["'self'"]})(
            xframe_options_sameorigin(self.writing_preview_view)
        )
        return [
            path("add/autosave/", site.admin_view(self.autosave_view), name=f"{prefix}_autosave_new"),
            path(
                "add/autosave/discard/",
                site.admin_view(self.autosave_discard_view),
                name=f"{prefix}_autosave_discard_new",
            ),
            path("add/live-preview/", site.admin_view(preview), name=f"{prefix}_live_preview_new"),
            path(
                "<path:object_id>/autosave/", site.admin_view(self.autosave_view), name=f"{prefix}_autosave"
            ),
            path(
                "<path:object_id>/autosave/discard/",
                site.admin_view(self.autosave_discard_view),
                name=f"{prefix}_autosave_discard",
            ),
            path("<path:object_id>/live-preview/", site.admin_view(preview), name=f"{prefix}_live_preview"),
            *super().get_urls(),
        ]

    # Who may write here ---------------------------------------------------------

    def _writable_article(self, request, object_id):
        """(article, refusal): the article the user may change (None for the add page),
        or why not, as (message, HTTP status)."""
        if object_id is None:
            if not self.has_add_permission(request):
                return None, (gettext("You may not add articles."), 403)
            return None, None
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return None, (gettext("This article does not exist."), 404)
        if not self.has_change_permission(request, article):
            return None, (gettext("You may not change this article."), 403)
        return article, None

    # Autosave -------------------------------------------------------------------

    @staticmethod
    def _not_saved_message(error):
        return gettext("Autosave failed: %(reason)s") % {"reason": error}

    def autosave_view(self, request, object_id=None):
        if request.method != "POST":
            return JsonResponse({"message": gettext("Send the draft with POST.")}, status=405)
        article, refusal = self._writable_article(request, object_id)
        if refusal is not None:
            message, status = refusal
            return JsonResponse({"message": message}, status=status)
        form = AutosaveForm(request.POST, article=article)
        if not form.is_valid():
            reasons = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
            return JsonResponse(
                {"message": self._not_saved_message(reasons), "errors": form.errors}, status=400
            )
        based_on = form.cleaned_data["based_on"]
        autosave = autosave_store(article=article, user=request.user, data=form.content(), based_on=based_on)
        if article is not None and article.updated_at > based_on:
            # Saved since the editor opened it: their draft is kept, the article is left alone.
            return JsonResponse(
                {
                    "conflict": True,
                    "saved_at": autosave.saved_at.isoformat(),
                    "message": gettext(
                        "This article was changed by %(name)s at %(time)s: your draft is kept, "
                        "reload the page to see their version and restore your draft."
                    )
                    % {"name": last_editor_name(article), "time": clock(article.updated_at)},
                },
                status=409,
            )
        return JsonResponse(
            {
                "saved_at": autosave.saved_at.isoformat(),
                "message": gettext("Draft saved at %(time)s") % {"time": clock(autosave.saved_at)},
            }
        )

    def autosave_discard_view(self, request, object_id=None):
        if request.method != "POST":
            return JsonResponse({"message": gettext("Send the request with POST.")}, status=405)
        article, refusal = self._writable_article(request, object_id)
        if refusal is not None:
            message, status = refusal
            return JsonResponse({"message": message}, status=status)
        autosave_discard(article=article, user=request.user)
        return JsonResponse({"message": gettext("The autosaved draft was discarded.")})

    # The real save deletes the autosave it makes useless.

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        autosave_discard(article=form.instance, user=request.user)
        if not change:
            autosave_discard(article=None, user=request.user)

    # The form's page ------------------------------------------------------------

    def writing_screen(self, request, article):
        """What the page's script needs, for ``json_script``: its addresses, the
        version loaded, the words per minute, its messages, and the autosave to
        offer back."""
        pending = autosave_pending(article=article, user=request.user)
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        if article is None:
            urls = {
                "autosave": reverse(f"{name}_autosave_new"),
                "discard": reverse(f"{name}_autosave_discard_new"),
                "preview": reverse(f"{name}_live_preview_new"),
            }
        else:
            urls = {
                key: reverse(f"{name}_{route}", args=[article.pk])
                for key, route in (
                    ("autosave", "autosave"),
                    ("discard", "autosave_discard"),
                    ("preview", "live_preview"),
                )
            }
        offer = None
        if pending is not None:
            offer = {
                "saved_at": pending.saved_at.isoformat(),
                "data": pending.data,
                "label": gettext("Restore the autosaved draft of %(time)s")
                % {"time": clock(pending.saved_at)},
                "stale": bool(article and pending.based_on and pending.based_on < article.updated_at),
            }
        return {
            "urls": urls,
            "storage_key": f"article-draft:{request.user.pk}:{article.pk if article else 'new'}",
            "based_on": article.updated_at.isoformat() if article else "",
            "fields": CONTENT_FIELDS,
            "words_per_minute": WORDS_PER_MINUTE,
            "autosave": offer,
            "messages": {
                "saving": gettext("Saving the draft…"),
                "saved": gettext("Draft saved at %(time)s"),
                "failed": gettext("Autosave failed"),
                "offline": gettext("Autosave failed: no connection. Your text is kept in this browser."),
                "found": gettext("An autosaved draft of this article is newer than its last save."),
                "found_stale": gettext(
                    "An autosaved draft is newer than this page, but it was written on an earlier "
                    "version of the article: restoring it replaces the changes saved since."
                ),
                "restore_local": gettext("Restore the draft kept in this browser at %(time)s"),
                "discard": gettext("Discard"),
                "restored": gettext("The draft was restored; save the article to keep it."),
                "discarded": gettext("The autosaved draft was discarded."),
                "words": [gettext("%(count)s word"), gettext("%(count)s words")],
                "minutes": gettext("about %(count)s min read"),
                "preview": gettext("Live preview"),
                "close": gettext("Close the preview"),
                "desktop": gettext("Computer"),
                "phone": gettext("Phone"),
                "preview_title": gettext("Preview of the article as readers will see it"),
                "publish_now": gettext("Publish now"),
                "schedule": gettext("Schedule"),
                "publish_now_hint": gettext("The article goes online when you save."),
                "schedule_hint": gettext("Choose a date and time to come, then save."),
            },
        }

    def _with_writing_screen(self, request, article, extra_context):
        context = dict(extra_context or {})
        context["writing_screen"] = self.writing_screen(request, article)
        return context

    def add_view(self, request, form_url="", extra_context=None):
        if self.has_add_permission(request):
            extra_context = self._with_writing_screen(request, None, extra_context)
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is not None and self.has_change_permission(request, article):
            extra_context = self._with_writing_screen(request, article, extra_context)
        return super().change_view(request, object_id, form_url, extra_context)

    # Live preview ---------------------------------------------------------------

    def writing_preview_view(self, request, object_id=None):
        if request.method != "POST":
            return self._preview_unavailable(
                request, [gettext("Open the preview from the article's form.")], 405
            )
        article, refusal = self._writable_article(request, object_id)
        if refusal is not None:
            message, status = refusal
            return self._preview_unavailable(request, [message], status)
        stored_image = None
        if article is not None:
            # Read as the saved article's preview reads it (with what lists add, such as
            # the comment count), after the admin said this user may change it.
            article = self._previewable(request, article)
            stored_image = (
                article.featured_image.name,
                article.featured_image_width,
                article.featured_image_height,
            )
        form_class = self.get_form(request, article, change=article is not None)
        form = form_class(request.POST, request.FILES, instance=article)
        if not form.is_valid():
            errors = [
                f"{form.fields[name].label}: {' '.join(messages)}"
                if name in form.fields
                else " ".join(messages)
                for name, messages in form.errors.items()
            ]
            return self._preview_unavailable(request, errors, 400)
        unsaved = preview_article(
            form=form,
            user=request.user,
            coauthors=self._preview_coauthors(request, form.instance),
            stored_image=stored_image,
        )
        return UnsavedArticlePreview.as_view(article=unsaved)(request)

    @staticmethod
    def _previewable(request, article):
        view = ArticlePreviewView()
        view.setup(request)
        return view.get_queryset().filter(pk=article.pk).first() or article

    def _preview_coauthors(self, request, article):
        """The byline's co-authors as the form's inline holds them, or None to keep the stored ones."""
        for formset_class, inline in self.get_formsets_with_inlines(request, article):
            if inline.model is not ArticleAuthor:
                continue
            formset = formset_class(
                data=request.POST,
                files=request.FILES,
                instance=article,
                prefix=formset_class.get_default_prefix(),
                queryset=inline.get_queryset(request),
            )
            if not formset.is_valid():
                return None
            rows = [
                form.cleaned_data
                for form in formset.forms
                if form.cleaned_data.get("user") and not form.cleaned_data.get("DELETE")
            ]
            rows.sort(key=lambda row: row.get("position") or 0)
            return [ArticleAuthor(user=row["user"], position=row.get("position") or 0) for row in rows]
        return None

    def _preview_unavailable(self, request, errors, status):
        response = TemplateResponse(
            request,
            "editorial/live_preview_unavailable.html",
            {"errors": errors, "title": gettext("Preview unavailable")},
            status=status,
        )
        return private_preview(response)


def private_preview(response):
    """Previews are for the one editor who asked: never kept by a cache, never indexed."""
    response["Cache-Control"] = "private, no-store, max-age=0"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def preview_article(*, form, user, coauthors, stored_image) -> Article:
    """The article the form describes, never saved: its body sanitised and rendered as a save does."""
    article = form.instance
    if article.author_id is None:
        article.author = user
    article.body = sanitize_html(article.body)
    # No request to video providers for each preview: cards come from the embeds already known.
    article.body_html = article_body(article.body, fetch_embeds=False)
    article.publication_date = timezone.localdate(article.published_at) if article.published_at else None
    if "featured_image" in form.changed_data and form.cleaned_data.get("featured_image"):
        # A file just chosen is not stored yet: the preview shows the stored one, or none.
        name, width, height = stored_image or ("", None, None)
        article.featured_image.name = name
        article.featured_image_width, article.featured_image_height = width, height
    tags = list(form.cleaned_data.get("tags") or [])
    known = {tag.name for tag in tags}
    for name in form.cleaned_data.get("new_tags") or []:
        slug = slugify(name)
        if name not in known and slug:
            tags.append(Tag(name=name, slug=slug))
    article.prefetched_tags = tags
    if coauthors is not None:
        article.prefetched_coauthor_links = coauthors
    for name in LISTING_ANNOTATIONS:
        # What lists add (the comment count): nothing yet for an article not saved.
        if not hasattr(article, name):
            setattr(article, name, 0)
    if article.pk is None:
        # The public template reads the article's relations (keywords, further
        # reading, comments), which Django refuses on an object without an id:
        # an id no row has makes each of them read nothing.
        article.pk = 0
    return article


class UnsavedArticlePreview(ArticlePreviewView):
    """The saved article's preview view, shown an article built from the form instead of read."""

    article = None

    def get_object(self, queryset=None):
        return self.article

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        return private_preview(super().render_to_response(context, **response_kwargs))
