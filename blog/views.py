import datetime
import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import UserPassesTestMixin
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.shortcuts import get_current_site
from django.db.models import Exists, F, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView
from django.views.generic.dates import DayArchiveView, MonthArchiveView, YearArchiveView
from taggit.models import Tag, TaggedItem

from caching.invalidation import article_key, versions
from caching.views import SharedPageMixin

from . import selectors
from .models import Article, Category, load_coauthors
from .related import related_articles


class PublishedArticleMixin(SharedPageMixin):
    """Public views see published articles only.

    The page is shared by every anonymous reader (``SharedPageMixin``): it
    depends on the articles it shows, and on the site's frame. A list's markup
    is cached (``blog/includes/article_list.html``) under the ids it shows and
    their versions: what a summary shows (author, category, keywords, comment
    count) is loaded, by ``summaries``, only when that markup must be rendered.
    """

    def get_queryset(self):
        # Only the ids: ``summaries`` loads the rest when the markup is rendered.
        return Article.objects.published().only("pk")

    def get_paginate_by(self, queryset):
        return settings.BLOG_PAGINATE_BY

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = context.get("object_list")
        self.shown_ids = [article.pk for article in articles] if articles is not None else []
        shown = versions(*self.get_cache_keys())
        context["list_version"] = " ".join(f"{key}:{version}" for key, version in shown.items())
        context["summaries"] = functools.cache(lambda: self.summaries(self.shown_ids))
        return context

    @staticmethod
    def summaries(ids):
        """The articles of ``ids``, in that order, with what a summary shows."""
        found = Article.objects.for_listing().defer("body", "body_html", "search_vector").in_bulk(ids)
        return load_coauthors(found[pk] for pk in ids if pk in found)

    def get_cache_keys(self):
        return [article_key(pk) for pk in self.shown_ids]

    def get_cache_max_age(self):
        return selectors.page_lifetime()


class ArticleListView(PublishedArticleMixin, ListView):
    template_name = "blog/article_list.html"

    def get_queryset(self):
        return super().get_queryset().order_by("-featured", "-published_at", "-pk")


class ArticleDetailView(PublishedArticleMixin, DetailView):
    """An article's page. Its markup is cached: ``object`` is read with little
    more than its address, and ``full_article`` (author, category, keywords,
    further reading, comment count), the neighbours and the related articles
    only when that markup must be rendered."""

    template_name = "blog/article_detail.html"

    def get_queryset(self):
        # What the page needs besides its cached markup: its address, state and discussion's rules.
        return Article.objects.published().only(
            "title",
            "slug",
            "publication_date",
            "published_at",
            "unpublish_at",
            "social_image",
            "status",
            "comments_enabled",
            "author_id",
        )

    def get_object(self, queryset=None):
        try:
            day = datetime.date(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        except ValueError:
            raise Http404(_("No article at this date."))
        return get_object_or_404(
            queryset if queryset is not None else self.get_queryset(),
            publication_date=day,
            slug=self.kwargs["slug"],
        )

    def get_context_data(self, **kwargs):
        key = article_key(self.object.pk)
        # Callables: the template calls them only if the article's cached markup is missing.
        return super().get_context_data(
            full_article=functools.cache(self.full_article),
            previous_article=functools.cache(lambda: self.neighbour(before=True)),
            next_article=functools.cache(lambda: self.neighbour(before=False)),
            related_articles=functools.cache(lambda: related_articles(self.object)),
            article_version=versions(key)[key],
            **kwargs,
        )

    def full_article(self):
        """The article with what its page shows (its sharing image only if it has one: no join otherwise)."""
        articles = Article.objects.for_listing().prefetch_related("further_reading")
        if self.object.social_image_id is not None:
            articles = articles.select_related("social_image")
        return load_coauthors(articles.get(pk=self.object.pk))[0]

    def neighbour(self, *, before):
        """The published article just before (or after) this one."""
        published = Article.objects.published().only("title", "slug", "publication_date")
        moment = self.object.published_at
        if before:
            return published.filter(published_at__lt=moment).order_by("-published_at").first()
        return published.filter(published_at__gt=moment).order_by("published_at").first()

    def get_cache_keys(self):
        return [article_key(self.object.pk)]

    def get_cache_max_age(self):
        # The comment form goes when the discussion closes by itself.
        return selectors.page_lifetime(until=self.object.comments_close_at)


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(UserPassesTestMixin, DetailView):
    """Shows any article, drafts and scheduled ones included, exactly as readers will see it.

    Only staff who may view articles get it; anyone else gets the same 404 as
    for an address that does not exist, so a draft's existence never leaks.
    """

    template_name = "blog/article_detail.html"

    def test_func(self):
        user = self.request.user
        return user.is_staff and user.has_perm("blog.view_article")

    def handle_no_permission(self):
        raise Http404

    def get_queryset(self):
        queryset = (
            Article.objects.for_listing().select_related("social_image").prefetch_related("further_reading")
        )
        if not self.request.user.has_perm("blog.publish_article"):
            # Authors preview their own articles only, as in the admin.
            queryset = queryset.filter(author=self.request.user)
        return queryset

    def get_object(self, queryset=None):
        return load_coauthors(super().get_object(queryset))[0]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = True
        context["related_articles"] = related_articles(self.object)
        return context


class CategoryDetailView(PublishedArticleMixin, ListView):
    """A category's articles, including those of its sub-categories."""

    template_name = "blog/category_detail.html"

    def get_queryset(self):
        categories = list(Category.objects.all())
        category = next((c for c in categories if c.slug == self.kwargs["slug"]), None)
        if category is None:
            raise Http404(_("No category found."))
        self.category = category
        self.subcategories = [c for c in categories if c.parent_id == category.pk]
        ids = category.descendant_ids(categories)
        queryset = super().get_queryset().order_by("-featured", "-published_at", "-pk")
        if len(ids) == 1:
            return queryset.filter(category_id=ids[0])
        # Several categories: matched without the (category, date) index, whose
        # separate ranges would make the database sort them all; it walks the
        # articles by date instead and stops at the page.
        return queryset.alias(category_number=F("category_id") + 0).filter(category_number__in=ids)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, subcategories=self.subcategories, **kwargs)


class TagDetailView(PublishedArticleMixin, ListView):
    template_name = "blog/tag_detail.html"

    def get_queryset(self):
        self.tag = Tag.objects.filter(slug=self.kwargs["slug"]).first()
        if self.tag is None:
            raise Http404(_("No article has this keyword."))
        # EXISTS rather than a join or IN: taggit's object_id is an integer and
        # our ids are big integers, so a join casts it and cannot use its index,
        # and SQLite sorts every tagged article for IN. With EXISTS both
        # databases walk the articles by date and stop at the page.
        tagged = TaggedItem.objects.filter(
            tag=self.tag,
            content_type=ContentType.objects.get_for_model(Article),
            object_id=OuterRef("pk"),
        )
        return super().get_queryset().filter(Exists(tagged)).order_by("-featured", "-published_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(tag=self.tag, **kwargs)
        # A keyword used only by drafts must not reveal what is being written.
        if not context["paginator"].count:
            raise Http404(_("No article has this keyword."))
        return context


class AuthorDetailView(PublishedArticleMixin, ListView):
    template_name = "blog/author_detail.html"

    def get_queryset(self):
        user_model = get_user_model()
        self.author = (
            user_model.objects.select_related("profile")
            .filter(**{user_model.USERNAME_FIELD: self.kwargs["username"]})
            .first()
        )
        if self.author is None:
            raise Http404(_("This author has not published anything yet."))
        # Their own articles and those they co-wrote.
        return super().get_queryset().written_by(self.author).order_by("-featured", "-published_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(author=self.author, **kwargs)
        # Only people who have published something have a public page.
        if not context["paginator"].count:
            raise Http404(_("This author has not published anything yet."))
        return context


class ArchiveMixin(PublishedArticleMixin):
    date_field = "publication_date"
    month_format = "%m"
    day_format = "%d"
    allow_empty = False
    make_object_list = True

    def get_queryset(self):
        # The date too: the links to the neighbouring periods read it from an article.
        return super().get_queryset().only("pk", self.date_field).order_by("-published_at", "-pk")


class YearArchiveView(ArchiveMixin, YearArchiveView):
    template_name = "blog/article_archive.html"


class MonthArchiveView(ArchiveMixin, MonthArchiveView):
    template_name = "blog/article_archive.html"


class DayArchiveView(ArchiveMixin, DayArchiveView):
    template_name = "blog/article_archive.html"


def robots_txt(request):
    """Where crawlers may go, and where the sitemap is (an absolute URL on the Site's domain)."""
    scheme = "https" if request.is_secure() else "http"
    return render(
        request,
        "robots.txt",
        {"sitemap_url": f"{scheme}://{get_current_site(request).domain}{reverse('sitemap')}"},
        content_type="text/plain; charset=utf-8",
    )
