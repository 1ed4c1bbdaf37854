"""The sidebar's blocks. Each costs one query, whatever the number of articles.

They are the same on every page: base.html keeps the sidebar in a cached fragment.
"""

from django import template
from django.db.models import Count, Q
from taggit.models import Tag

from ..models import Article, Category

register = template.Library()


@register.inclusion_tag("blog/includes/sidebar_categories.html")
def sidebar_categories():
    """Categories with their number of published articles, as a tree (one query)."""
    published = Article.objects.published()
    categories = list(
        Category.objects.annotate(
            article_count=Count("articles", filter=Q(articles__in=published.values("pk")))
        ).order_by("name")
    )
    children = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)

    def branch(parent_id, depth):
        for category in children.get(parent_id, []):
            category.depth = depth
            yield category
            yield from branch(category.pk, depth + 1)

    tree = list(branch(None, 0))
    # A category's page lists its sub-categories' articles too, so its count
    # includes them; walking the tree backwards adds children before parents.
    by_pk = {category.pk: category for category in tree}
    for category in reversed(tree):
        if category.parent_id in by_pk:
            by_pk[category.parent_id].article_count += category.article_count
    return {"categories": tree}


@register.inclusion_tag("blog/includes/sidebar_recent.html")
def sidebar_recent_articles(count=5):
    articles = Article.objects.published().only("title", "slug", "publication_date")[:count]
    return {"articles": articles}


@register.inclusion_tag("blog/includes/sidebar_archives.html")
def sidebar_archives():
    months = Article.objects.published().dates("publication_date", "month", order="DESC")
    return {"months": months}


@register.inclusion_tag("blog/includes/sidebar_tags.html")
def sidebar_tag_cloud(limit=30):
    """The most used keywords of published articles, with a size class from 1 to 5."""
    published = Article.objects.published().values("pk")
    tags = list(
        Tag.objects.filter(
            taggit_taggeditem_items__object_id__in=published,
            taggit_taggeditem_items__content_type__model="article",
            taggit_taggeditem_items__content_type__app_label="blog",
        )
        .annotate(article_count=Count("taggit_taggeditem_items"))
        .order_by("-article_count", "name")[:limit]
    )
    if tags:
        top = max(tag.article_count for tag in tags)
        for tag in tags:
            tag.weight = 1 + round(4 * (tag.article_count - 1) / max(top - 1, 1))
        tags.sort(key=lambda tag: tag.name.lower())
    return {"tags": tags}
