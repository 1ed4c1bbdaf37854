"""Snapshots of an article's content and the differences between two of them.

A snapshot is plain JSON-ready data: it is what ``ArticleRevision.data``
holds, what the comparison page reads and what a restore writes back.
"""

import difflib
import re

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from blog.models import Article, ArticleAuthor, FurtherReading

# The fields a version keeps, in the order the comparison page shows them,
# with the label shown there.
FIELDS = {
    "title": _("title"),
    "slug": _("slug"),
    "excerpt": _("excerpt"),
    "body": _("body"),
    "category": _("category"),
    "tags": _("keywords"),
    "further_reading": _("further reading"),
    "seo_title": _("SEO title"),
    "seo_description": _("SEO description"),
    "social_image": _("sharing image"),
    "noindex": _("hide from search engines"),
    "canonical_url": _("canonical address"),
    "table_of_contents": _("table of contents"),
    "featured": _("featured"),
    "comments_enabled": _("comments open"),
    "status": _("status"),
    "published_at": _("publication date"),
    "unpublish_at": _("end of publication"),
    "author": _("author"),
    "coauthors": _("co-authors"),
}

# Closing block tags after which the body is cut into lines, so a change in
# one paragraph shows as one changed line rather than one changed page.
_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|ul|ol|blockquote|pre|figure|table|tr)>|<br\s*/?>)", re.I)


def article_snapshot(article):
    """The article's content as plain data, keywords, further reading and co-authors included.

    Reads the keywords, links and co-authors from the database (not from a prefetch cache)
    so a snapshot taken right after the admin saved them is up to date.
    """
    return {
        "title": article.title,
        "slug": article.slug,
        "excerpt": article.excerpt,
        "body": article.body,
        "category": (
            {"id": article.category_id, "name": article.category.name} if article.category_id else None
        ),
        "tags": sorted(
            Tag.objects.filter(
                taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Article),
                taggit_taggeditem_items__object_id=article.pk,
            ).values_list("name", flat=True),
            key=str.lower,
        ),
        "further_reading": [
            {"title": link.title, "url": link.url, "position": link.position}
            for link in FurtherReading.objects.filter(article=article)
        ],
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
        "social_image": (
            {"id": article.social_image_id, "name": str(article.social_image)}
            if article.social_image_id
            else None
        ),
        "noindex": article.noindex,
        "canonical_url": article.canonical_url,
        "table_of_contents": article.table_of_contents,
        "featured": article.featured,
        "comments_enabled": article.comments_enabled,
        "status": article.status,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "unpublish_at": article.unpublish_at.isoformat() if article.unpublish_at else None,
        "author": {"id": article.author_id, "name": article.author.get_username()},
        "coauthors": [
            {"id": user_id, "name": username}
            for user_id, username in ArticleAuthor.objects.filter(article=article).values_list(
                "user_id", f"user__{get_user_model().USERNAME_FIELD}"
            )
        ],
    }


def _as_lines(name, value):
    """A field's value as the lines a reader compares."""
    if value is None or value == "":
        return []
    if name == "body":
        return [line for line in _BLOCK_END.sub(r"\1\n", value).splitlines() if line.strip()]
    if name in ("category", "author", "social_image"):
        return [value["name"]]
    if name == "tags":
        return list(value)
    if name == "coauthors":
        return [person["name"] for person in value]
    if name == "further_reading":
        return [f"{link['title']} — {link['url']}" for link in value]
    if isinstance(value, bool):
        return [str(_("yes") if value else _("no"))]
    return str(value).splitlines()


def snapshot_diff(old, new):
    """The fields that differ between two snapshots, each with its changed lines.

    Returns a list of ``{"name", "label", "lines"}`` where each line is a
    ``(kind, text)`` pair, kind being "added", "removed" or "context".
    """
    changes = []
    for name, label in FIELDS.items():
        before, after = _as_lines(name, old.get(name)), _as_lines(name, new.get(name))
        if before == after:
            continue
        lines = []
        for line in difflib.ndiff(before, after):
            code, text = line[:2], line[2:]
            if code == "+ ":
                lines.append(("added", text))
            elif code == "- ":
                lines.append(("removed", text))
            elif code == "  ":
                lines.append(("context", text))
            # "? " lines are ndiff's character hints: not shown.
        changes.append({"name": name, "label": label, "lines": lines})
    return changes
