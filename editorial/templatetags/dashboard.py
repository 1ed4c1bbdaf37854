"""The admin index's "needs attention" panel: a fixed number of queries, whatever the data."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from blog.models import Article
from comments import selectors as comment_selectors

register = template.Library()

LIST_SIZE = 5


def _admin_url(name, *args):
    try:
        return reverse(f"admin:{name}", args=args)
    except NoReverseMatch:
        # The comment admin may not be registered (or registered elsewhere).
        return ""


def _article_block(user):
    """Counts and short lists of the articles waiting on someone."""
    editor = user.has_perm("blog.publish_article")
    articles = Article.objects.select_related("author")
    if not editor:
        articles = articles.filter(author=user)
    now = timezone.now()
    counts = articles.aggregate(
        review=Count("pk", filter=Q(status=Article.Status.REVIEW)),
        scheduled=Count("pk", filter=Q(status=Article.Status.PUBLISHED, published_at__gt=now)),
        my_drafts=Count("pk", filter=Q(status=Article.Status.DRAFT, author=user)),
    )
    changelist = reverse("admin:blog_article_changelist")
    return {
        "is_editor": editor,
        "counts": counts,
        # Oldest first: the review queue is served in order of arrival.
        "review": list(
            articles.filter(status=Article.Status.REVIEW).order_by("updated_at", "pk")[:LIST_SIZE]
        ),
        "scheduled": list(articles.scheduled().order_by("published_at", "pk")[:LIST_SIZE]),
        "my_drafts": list(
            Article.objects.filter(author=user, status=Article.Status.DRAFT).order_by("-updated_at", "-pk")[
                :LIST_SIZE
            ]
        ),
        "review_url": f"{changelist}?state=review",
        "scheduled_url": f"{changelist}?state=scheduled",
        # Authors only ever list their own articles (and have no author filter).
        "my_drafts_url": (
            f"{changelist}?state=draft&author__id__exact={user.pk}" if editor else f"{changelist}?state=draft"
        ),
    }


def _comment_rows(comments, titles):
    return [
        {
            "comment": comment,
            "article_title": titles.get((comment.content_type_id, comment.object_pk), ""),
            "url": _admin_url("django_comments_xtd_xtdcomment_change", comment.pk),
        }
        for comment in comments
    ]


def _comment_block():
    """Comments held for moderation and the latest public ones."""
    # The same comments as the moderation list's "awaiting moderation" filter, which the count links to.
    pending = comment_selectors.comments_awaiting_moderation()
    pending_count = pending.count()
    waiting = list(pending.order_by("submit_date", "pk")[:LIST_SIZE])
    latest = list(comment_selectors.public_comments().order_by("-submit_date", "-pk")[:LIST_SIZE])
    # One query for the titles of the articles these comments are about.
    article_type = ContentType.objects.get_for_model(Article)
    on_articles = [c for c in waiting + latest if c.content_type_id == article_type.pk]
    article_ids = {c.object_pk for c in on_articles if c.object_pk.isdigit()}
    titles = {}
    if article_ids:
        rows = Article.objects.filter(pk__in=article_ids).values_list("pk", "title")
        titles = {(article_type.pk, str(pk)): title for pk, title in rows}
    changelist = _admin_url("django_comments_xtd_xtdcomment_changelist")
    return {
        "pending_count": pending_count,
        "pending": _comment_rows(waiting, titles),
        "latest": _comment_rows(latest, titles),
        "changelist_url": changelist,
        "pending_url": f"{changelist}?state=pending" if changelist else "",
    }


@register.simple_tag(takes_context=True)
def editorial_dashboard(context):
    """What needs the current user's attention, limited to what they may see."""
    user = context["request"].user
    return {
        "articles": _article_block(user) if user.has_perm("blog.view_article") else None,
        "comments": _comment_block() if user.has_perm("django_comments_xtd.view_xtdcomment") else None,
    }
