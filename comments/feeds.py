"""RSS feeds of public comments: the whole site's latest, and one article's."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import CharField, Count, F, Window
from django.db.models.functions import Cast, RowNumber
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment

from blog.models import Article
from blog.selectors import page_lifetime
from caching.headers import share
from caching.invalidation import article_key

from . import selectors
from .text import render_comment_text

FEED_SIZE = 30


def _with_articles(comments, articles=None):
    """Attach each comment's article (one query for all of them) and the query
    string of the discussion page that shows it (see ``_page_queries``)."""
    comments = list(comments)
    if articles is None:
        articles = Article.objects.in_bulk({int(c.object_pk) for c in comments})
    pages = _page_queries(comments)
    for comment in comments:
        comment.article = articles[int(comment.object_pk)]
        comment.page_query = pages.get(comment.thread_id, "")
    return comments


def _page_queries(comments) -> dict[int, str]:
    """For each conversation of ``comments`` on a discussion longer than one page,
    the query string of its page (``selectors.comment_page_query`` for a whole feed).

    One query counts the conversations of every article in the feed; a second,
    only when some discussion is that long, numbers its conversations in the
    order the article page shows them (``selectors.conversation_roots``).
    """
    per_page = selectors.threads_per_page()
    roots = selectors.conversation_roots(
        XtdComment.norel_objects.filter(
            content_type=selectors.article_content_type(), object_pk__in={c.object_pk for c in comments}
        )
    )
    counts = roots.order_by().values("object_pk").annotate(threads=Count("pk"))
    long_discussions = [row["object_pk"] for row in counts.filter(threads__gt=per_page)]
    if not long_discussions:
        return {}
    positions = (
        roots.filter(object_pk__in=long_discussions)
        .annotate(position=Window(RowNumber(), partition_by=F("object_pk"), order_by=F("thread_id").asc()))
        .values_list("pk", "position")
    )
    return {pk: selectors.thread_query(number=(position - 1) // per_page + 1) for pk, position in positions}


# Every change to a comment purges this key, and its article's.
COMMENTS_KEY = "comments"


class LatestCommentsFeed(Feed):
    """The latest public comments on public articles, site-wide."""

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        if response.status_code == 200:
            share(response, keys=self.cache_keys(kwargs), max_age=page_lifetime())
        return response

    def cache_keys(self, kwargs):
        return [COMMENTS_KEY]

    def title(self):
        return _("Latest comments – %(blog)s") % {"blog": settings.BLOG_NAME}

    def description(self):
        return _("The latest comments of the readers of %(blog)s.") % {"blog": settings.BLOG_NAME}

    def link(self):
        return reverse("blog:article_list")

    def items(self):
        published = Article.objects.published().annotate(key=Cast("pk", CharField())).values("key")
        comments = (
            selectors.public_comments()
            .filter(content_type=selectors.article_content_type(), object_pk__in=published)
            .order_by("-submit_date", "-pk")[:FEED_SIZE]
        )
        return _with_articles(comments)

    def item_title(self, comment):
        return _("%(name)s on “%(title)s”") % {"name": comment.user_name, "title": comment.article.title}

    def item_description(self, comment):
        return render_comment_text(comment.comment)

    def item_link(self, comment):
        return f"{comment.article.get_absolute_url()}{comment.page_query}#c{comment.pk}"

    def item_pubdate(self, comment):
        return comment.submit_date

    def item_updateddate(self, comment):
        return comment.submit_date

    def item_author_name(self, comment):
        return comment.user_name


class ArticleCommentsFeed(LatestCommentsFeed):
    """The latest public comments of one public article."""

    def cache_keys(self, kwargs):
        return [article_key(kwargs["pk"])]

    def get_object(self, request, pk):
        return get_object_or_404(Article.objects.published(), pk=pk)

    def title(self, article):
        return _("Comments on “%(title)s”") % {"title": article.title}

    def description(self, article):
        return _("The readers' comments on “%(title)s”.") % {"title": article.title}

    def link(self, article):
        return f"{article.get_absolute_url()}#comments"

    def items(self, article):
        comments = (
            selectors.public_comments()
            .filter(content_type=selectors.article_content_type(), object_pk=str(article.pk))
            .order_by("-submit_date", "-pk")[:FEED_SIZE]
        )
        return _with_articles(comments, {article.pk: article})
