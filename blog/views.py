import datetime
import functools
import pickle

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import UserPassesTestMixin
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView
from django.views.generic.dates import DayArchiveView, MonthArchiveView, YearArchiveView
from taggit.models import Tag, TaggedItem

from . import cache, search
from .forms import SearchForm
from .models import Article, Category
from .pagination import CachedCountPaginator, DeferredQuerySet
from .related import related_articles
from .splicing import SplicingTemplateResponse


class PublishedArticleMixin:
    """Public views see published articles only, with what their templates show."""

    paginator_class = CachedCountPaginator
    # The page shows summaries ({% article_summaries %}): its ids suffice.
    cache_page_ids = True

    def get_queryset(self):
        # Built only if the cache lacks the list's count or the page's ids.
        return DeferredQuerySet(self.articles, model=Article)

    def articles(self):
        """The articles listed, in order.

        Lists are shown through {% article_summaries %}, which reads only the
        ids of the page and loads what a summary shows for the summaries it
        does not find in the cache.
        """
        return Article.objects.published()

    def get_paginate_by(self, queryset):
        return settings.BLOG_PAGINATE_BY

    def list_key(self):
        """What names the list, whatever its page: the route, its arguments and query string."""
        match = self.request.resolver_match
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        return (match.view_name if match else "", sorted(self.kwargs.items()), query.urlencode())

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        # The number of articles changes only with the content: it is counted
        # once per generation, not on every page view.
        return super().get_paginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            count_key=self.list_key(),
            cache_ids=self.cache_page_ids,
            **kwargs,
        )


class ArticleListView(PublishedArticleMixin, ListView):
    template_name = "blog/article_list.html"

    def articles(self):
        return super().articles().order_by("-featured", "-published_at", "-pk")


class KeptArticle(SimpleLazyObject):
    """A published article read from the cache, unpickled only when more than its address is used.

    When the article's head and column are in the cache, its page needs only
    its id, address and publication state. Unpickling the article, with its
    author, profile and category, was the largest single cost of that page.
    """

    def __init__(self, kept):
        pk, slug, publication_date, published_at, pickled = kept
        super().__init__(lambda: pickle.loads(pickled))
        self.__dict__.update(pk=pk, slug=slug, publication_date=publication_date, published_at=published_at)

    @staticmethod
    def keep(article):
        """What the cache keeps of ``article`` (None stays None): all of it can be shared as it is."""
        if article is None:
            return None
        pickled = pickle.dumps(article, pickle.HIGHEST_PROTOCOL)
        return (article.pk, article.slug, article.publication_date, article.published_at, pickled)

    @property
    def is_public(self):
        # Kept only from published articles, for one generation of the content.
        return self.published_at <= timezone.now()

    def __bool__(self):
        return True


class ArticleDetailView(PublishedArticleMixin, DetailView):
    template_name = "blog/article_detail.html"
    # Named here: DetailView would read it from the article's model, unpickling it.
    context_object_name = "article"
    # The article's column, discussion included, comes from the cache as bytes.
    response_class = SplicingTemplateResponse

    def get_object(self, queryset=None):
        try:
            day = datetime.date(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        except ValueError:
            raise Http404(_("No article at this date."))
        if queryset is not None:
            return get_object_or_404(queryset, publication_date=day, slug=self.kwargs["slug"])
        # Read once per generation of the content, which every change to a
        # published article (or its author's profile, or its category)
        # replaces, and of the article's own scope, which its comments replace.
        slug = self.kwargs["slug"]
        kept = cache.cached_fragment(
            "article-object",
            lambda: KeptArticle.keep(self.get_queryset().filter(publication_date=day, slug=slug).first()),
            scopes=(cache.CONTENT, cache.article_scope(publication_date=day, slug=slug)),
            vary=(day, slug),
        )
        if kept is None:
            raise Http404(_("No article at this date."))
        return KeptArticle(kept)

    def get_queryset(self):
        # No prefetching: keywords and further reading are read only when the
        # article's cached markup has to be rendered again.
        # The article is kept in the cache: without its author's password hash.
        return (
            self.articles()
            .select_related("author__profile", "category")
            .defer("author__password")
            .with_comment_count()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        # Read only when the article's column is not in the cache.
        neighbours = functools.cache(
            lambda: cache.cached_fragment("neighbours", lambda: self.neighbours(article), vary=(article.pk,))
        )
        context["previous_article"] = SimpleLazyObject(lambda: neighbours()[0])
        context["next_article"] = SimpleLazyObject(lambda: neighbours()[1])
        # Read only when the article's cached markup has to be rendered again.
        context["related_articles"] = SimpleLazyObject(lambda: list(related_articles(article)))
        return context

    @staticmethod
    def neighbours(article):
        """The published articles just before and after ``article``; they change only with the content."""
        neighbours = Article.objects.published().only("title", "slug", "publication_date")
        return (
            neighbours.filter(published_at__lt=article.published_at).order_by("-published_at").first(),
            neighbours.filter(published_at__gt=article.published_at).order_by("published_at").first(),
        )


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
        queryset = Article.objects.for_listing().prefetch_related("further_reading")
        if not self.request.user.has_perm("blog.publish_article"):
            # Authors preview their own articles only, as in the admin.
            queryset = queryset.filter(author=self.request.user)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = True
        context["related_articles"] = related_articles(self.object)
        return context


class CategoryDetailView(PublishedArticleMixin, ListView):
    """A category's articles, including those of its sub-categories."""

    template_name = "blog/category_detail.html"

    def get_queryset(self):
        # Categories change only with the content: the category, its children
        # and the ids of its whole branch are read from the cache rather than
        # queried three times per page.
        slug = self.kwargs["slug"]
        found = cache.cached_fragment("category", lambda: self.branch(slug), vary=(slug,))
        if found is None:
            raise Http404(_("No category found."))
        self.category, self.subcategories, self.category_ids = found
        return super().get_queryset()

    @staticmethod
    def branch(slug):
        """The category named ``slug``, its sub-categories and the ids of its branch; None if none."""
        categories = list(Category.objects.all())
        category = next((c for c in categories if c.slug == slug), None)
        if category is None:
            return None
        return (
            category,
            [c for c in categories if c.parent_id == category.pk],
            category.descendant_ids(categories),
        )

    def articles(self):
        ids = self.category_ids
        queryset = super().articles()
        if len(ids) == 1:
            return queryset.filter(category_id=ids[0])
        # Several categories: matched without the (category, date) index, whose
        # separate ranges would make the database sort them all; it walks the
        # articles by date instead and stops at the page.
        return queryset.alias(category_number=F("category_id") + 0).filter(category_number__in=ids)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            category=self.category,
            subcategories=self.subcategories,
            **kwargs,
        )


class TagDetailView(PublishedArticleMixin, ListView):
    template_name = "blog/tag_detail.html"

    def get_queryset(self):
        slug = self.kwargs["slug"]
        self.tag = cache.cached_fragment("tag", lambda: Tag.objects.filter(slug=slug).first(), vary=(slug,))
        if self.tag is None:
            raise Http404(_("No article has this keyword."))
        return super().get_queryset()

    def articles(self):
        # EXISTS rather than a join or IN: taggit's object_id is an integer and
        # our ids are big integers, so a join casts it and cannot use its index,
        # and SQLite sorts every tagged article for IN. With EXISTS both
        # databases walk the articles by date and stop at the page.
        tagged = TaggedItem.objects.filter(
            tag=self.tag,
            content_type=ContentType.objects.get_for_model(Article),
            object_id=OuterRef("pk"),
        )
        return super().articles().filter(Exists(tagged))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(tag=self.tag, **kwargs)
        # A keyword used only by drafts must not reveal what is being written.
        if not context["paginator"].count:
            raise Http404(_("No article has this keyword."))
        return context


class AuthorDetailView(PublishedArticleMixin, ListView):
    template_name = "blog/author_detail.html"

    def get_queryset(self):
        username = self.kwargs["username"]
        user_model = get_user_model()
        # Read once per generation of the content (a new name replaces it),
        # without the password hash, since it is kept in the cache.
        self.author = cache.cached_fragment(
            "author",
            lambda: (
                user_model.objects.select_related("profile")
                .defer("password")
                .filter(**{user_model.USERNAME_FIELD: username})
                .first()
            ),
            vary=(username,),
        )
        if self.author is None:
            raise Http404(_("This author has not published anything yet."))
        return super().get_queryset()

    def articles(self):
        return super().articles().filter(author=self.author)

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

    def get_dated_items(self):
        """Django's dated items, with the dates and neighbours read once per generation of the content."""
        dated = {}

        def build():
            date_list, dated["articles"], extra = super(ArchiveMixin, self).get_dated_items()
            return (None if date_list is None else list(date_list)), extra

        def articles():
            if "articles" not in dated:
                dated["articles"] = super(ArchiveMixin, self).get_dated_items()[1]
            return dated["articles"]

        date_list, extra = cache.cached_fragment(
            "archive", build, vary=(type(self).__name__, sorted(self.kwargs.items()))
        )
        return date_list, DeferredQuerySet(articles, model=Article), extra


class YearArchiveView(ArchiveMixin, YearArchiveView):
    template_name = "blog/article_archive.html"


class MonthArchiveView(ArchiveMixin, MonthArchiveView):
    template_name = "blog/article_archive.html"


class DayArchiveView(ArchiveMixin, DayArchiveView):
    template_name = "blog/article_archive.html"


class SearchView(PublishedArticleMixin, ListView):
    """Results for the words in ``q``, best first, with an extract around the words found.

    Whatever is typed, the page answers 200: an empty, unsearchable or too long
    query gets a message instead of results, and a page number out of range
    shows the last page.
    """

    template_name = "blog/search.html"

    def get(self, request, *args, **kwargs):
        # The form is read only if the page's markup is not in the cache.
        self.form = SimpleLazyObject(lambda: SearchForm(request.GET))
        return super().get(request, *args, **kwargs)

    @cached_property
    def query(self):
        return self.form.cleaned_data["q"] if self.form.is_valid() else ""

    def get_queryset(self):
        """The ids of the articles found, best first.

        One query per generation of the content, whatever page is shown: the
        pages of a search are slices of the list, and its length is the count.
        """
        if not self.query:
            return ()
        return cache.cached_fragment(
            "search-matches", lambda: tuple(search.matching_ids(self.query)), vary=(repr(self.list_key()),)
        )

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return Paginator(queryset, per_page, orphans, allow_empty_first_page)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def results(self, ids):
        """What each result of a page shows: ``(head, extract)``.

        The head (title, date, author, category, comment count) is the same
        in every search, kept per article like a list's summaries; only the
        extract around the words found is made for this query.
        """
        heads = cache.cached_per_article("search-result", ids, self.render_heads)
        extracts = search.snippets(list(heads), self.query)
        return [(heads[pk], extracts.get(pk)) for pk in ids if pk in heads]

    @staticmethod
    def render_heads(ids):
        articles = (
            Article.objects.published()
            .for_listing()
            .prefetch_related(None)  # A result shows no keywords.
            .defer("body", "excerpt", "search_vector", "author__password")
            .in_bulk(ids)
        )
        return {
            pk: render_to_string("includes/search_result_head.html", {"article": article})
            for pk, article in articles.items()
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            form=self.form,
            query=SimpleLazyObject(lambda: self.query),
            searchable=SimpleLazyObject(lambda: bool(search.query_terms(self.query))),
            **kwargs,
        )
        page = context["page_obj"]
        context["results"] = SimpleLazyObject(lambda: self.results(page.object_list))
        return context


def robots_txt(request):
    """Where crawlers may go, and where the sitemap is (an absolute URL on the Site's domain)."""
    scheme = "https" if request.is_secure() else "http"
    return render(
        request,
        "robots.txt",
        {"sitemap_url": f"{scheme}://{get_current_site(request).domain}{reverse('sitemap')}"},
        content_type="text/plain; charset=utf-8",
    )
