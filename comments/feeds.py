"""RSS feeds of public comments: the whole site's latest, and one article's."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import CharField
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blog.models import Article
from blog.selectors import page_lifetime
from caching.headers import share
from caching.invalidation import article_key

from . import selectors
from .text import render_comment_text

FEED_SIZE = 30


def _with_articles(comments, articles=None):
    """Attach each comment's article (one query for all of them)."""
    comments = list(comments)
    if articles is None:
        articles = Article.objects.in_bulk({int(c.object_pk) for c in comments})
    for comment in comments:
        comment.article = articles[int(comment.object_pk)]
    return comments


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
        return f"{comment.article.get_absolute_url()}#c{comment.pk}"

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
