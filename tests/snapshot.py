"""The site's content as plain data, to compare a site before and after a round trip."""

from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django_comments_xtd.models import XtdComment

from blog.models import Article, Category, author_display_name


def comments_of(article):
    comments = XtdComment.objects.filter(object_pk=str(article.pk)).order_by("submit_date", "comment")
    texts = {comment.pk: comment.comment for comment in comments}
    return [
        (
            c.comment,
            c.user_name,
            c.user_email,
            c.user_url,
            c.ip_address,
            c.submit_date,
            c.is_public,
            c.is_removed,
            c.level,
            texts.get(c.parent_id) if c.parent_id != c.pk else None,
            c.user.username if c.user else None,
        )
        for c in comments
    ]


def snapshot(*, with_redirects=False):
    data = {
        "categories": sorted(
            (c.slug, c.name, c.description, c.parent.slug if c.parent else None)
            for c in Category.objects.select_related("parent")
        ),
        "articles": sorted(
            (
                a.title,
                a.slug,
                a.author.username,
                a.author.email,
                author_display_name(a.author),
                a.category.slug if a.category else None,
                sorted(a.tags.names()),
                a.excerpt,
                a.body,
                a.status,
                a.published_at,
                a.featured,
                a.comments_enabled,
                comments_of(a),
            )
            for a in Article.objects.select_related("author__profile", "category")
        ),
        "pages": sorted((p.url, p.title, p.content, p.registration_required) for p in FlatPage.objects.all()),
    }
    if with_redirects:
        data["redirects"] = sorted(Redirect.objects.values_list("old_path", "new_path"))
    return data
