"""RSS 2.0 and Atom feeds: the whole blog, a category (with its sub-categories), a keyword, an author.

Links are absolute, built from the Site's domain. Each entry carries its
authors (the author, then each co-author), publication and last-modified
dates (Atom requires the latter two), its category and keywords. By default
entries hold the excerpt; with ``BLOG_FEED_FULL_CONTENT`` the whole article
goes in as well, in ``content:encoded`` (RSS) or ``<content>`` (Atom).
"""

import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from taggit.models import Tag

from caching.headers import share
from medialib.sanitize import html_to_text

from . import selectors
from .models import Article, Category, author_display_name, has_coauthors, load_coauthors

CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"


class BufferedWriteMixin:
    """Writes the feed to the response in one piece, rather than in a thousand small writes."""

    def write(self, outfile, encoding):
        buffer = io.StringIO()
        super().write(buffer, encoding)
        outfile.write(buffer.getvalue())


class ArticleRssFeedType(BufferedWriteMixin, Rss201rev2Feed):
    """RSS 2.0 with the full text, when given, in the content module's ``content:encoded``."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        # The author is the item's ``dc:creator`` (Django's); each co-author gets one too.
        for name in item.get("coauthors", ()):
            handler.addQuickElement("dc:creator", name, {"xmlns:dc": DC_NAMESPACE})
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class ArticleAtomFeedType(BufferedWriteMixin, Atom1Feed):
    """Atom with the full text, when given, in the entry's ``<content type="html">``."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        # Django writes the entry's one author; Atom allows several ``<author>`` elements.
        for name in item.get("coauthors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class ArticleFeed(Feed):
    """The latest published articles of the whole blog, newest first."""

    feed_type = ArticleRssFeedType

    def get_object(self, request, *args, **kwargs):
        return None

    def __call__(self, request, *args, **kwargs):
        # The same for every reader, and it changes with the published content only.
        response = super().__call__(request, *args, **kwargs)
        return share(response, max_age=selectors.page_lifetime()) if response.status_code == 200 else response

    def articles(self, obj):
        """The published articles this feed is about; subclasses narrow it to their subject."""
        return Article.objects.published()

    def items(self, obj):
        articles = (
            self.articles(obj)
            .defer("search_vector")
            .select_related("author__profile", "category")
            # A plain list: taggit's manager would build a queryset per entry.
            .prefetch_related(Prefetch("tags", to_attr="prefetched_tags"))
            .annotate(has_coauthors=has_coauthors())
            .order_by("-published_at", "-pk")[: settings.BLOG_FEED_ITEMS]
        )
        return load_coauthors(articles)

    def title(self, obj):
        return settings.BLOG_NAME

    def link(self, obj):
        return reverse("blog:article_list")

    def description(self, obj):
        return settings.BLOG_TAGLINE

    def subtitle(self, obj):
        # Atom's name for RSS's description.
        return self.description(obj)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """The excerpt (escaped: feed readers read descriptions as HTML), else the body's first words."""
        if item.excerpt:
            return escape(item.excerpt)
        return escape(Truncator(html_to_text(item.body)).words(50, truncate=" …"))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.last_modified

    def item_author_name(self, item):
        return item.author_name

    def item_extra_kwargs(self, item):
        extra = {"coauthors": [author_display_name(user) for user in item.author_list[1:]]}
        if settings.BLOG_FEED_FULL_CONTENT:
            extra["content"] = item.body_html
        return extra

    def item_categories(self, item):
        names = [item.category.name] if item.category else []
        return names + sorted(tag.name for tag in item.prefetched_tags)


class AtomArticleFeed(ArticleFeed):
    feed_type = ArticleAtomFeedType


class CategoryFeed(ArticleFeed):
    """A category's latest articles, those of its sub-categories included (as on its page)."""

    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def articles(self, obj):
        return Article.objects.published().filter(category__in=obj.descendant_ids())

    def title(self, obj):
        return f"{settings.BLOG_NAME} – {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.description or _("The latest articles in the category %(name)s.") % {"name": obj.name}


class AtomCategoryFeed(CategoryFeed):
    feed_type = ArticleAtomFeedType


class TagFeed(ArticleFeed):
    """The latest articles with a keyword. Like its page, it does not exist for a keyword only drafts use."""

    def get_object(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        if not Article.objects.published().filter(tags=tag).exists():
            raise Http404(_("No article has this keyword."))
        return tag

    def articles(self, obj):
        return Article.objects.published().filter(tags=obj)

    def title(self, obj):
        return f"{settings.BLOG_NAME} – {obj.name}"

    def link(self, obj):
        return reverse("blog:tag_detail", kwargs={"slug": obj.slug})

    def description(self, obj):
        return _("The latest articles with the keyword %(name)s.") % {"name": obj.name}


class AtomTagFeed(TagFeed):
    feed_type = ArticleAtomFeedType


class AuthorFeed(ArticleFeed):
    """An author's latest articles, co-written ones included; none for someone who has published nothing."""

    def get_object(self, request, username):
        user_model = get_user_model()
        author = get_object_or_404(
            user_model.objects.select_related("profile"), **{user_model.USERNAME_FIELD: username}
        )
        if not Article.objects.published().written_by(author).exists():
            raise Http404(_("This author has not published anything yet."))
        return author

    def articles(self, obj):
        return Article.objects.published().written_by(obj)

    def title(self, obj):
        return f"{settings.BLOG_NAME} – {author_display_name(obj)}"

    def link(self, obj):
        return reverse("blog:author_detail", kwargs={"username": obj.get_username()})

    def description(self, obj):
        return _("The latest articles by %(name)s.") % {"name": author_display_name(obj)}

    def author_name(self, obj):
        return author_display_name(obj)


class AtomAuthorFeed(AuthorFeed):
    feed_type = ArticleAtomFeedType
