"""The sidebar's blocks, and the filters of the reading pages (typography, reading time, dates).

Each sidebar block costs one query, whatever the number of articles. They are
the same on every page: base.html keeps the sidebar in a cached fragment.
"""

import math
import re
import zlib

from django import template
from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from taggit.models import Tag

from medialib.rendering import headings

from ..models import Article, Category, author_display_name

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


# French typography, applied to what readers see (titles, excerpts, bodies).
# Only the text between tags changes: tags, attributes, entities and the
# contents of code, scripts and form fields are left exactly as they are.
NNBSP = "\u202f"  # narrow no-break space: before ; ? ! and inside « »
NBSP = "\u00a0"  # no-break space: before :
_TAG = re.compile(r"(<[^>]*>)")
_VERBATIM = {"pre", "code", "kbd", "samp", "script", "style", "textarea"}
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")
_APOSTROPHE = re.compile(r"(?<=\w)(?:'|&#x27;|&#39;)(?=\w)")
_BEFORE_TIGHT = re.compile(r"(?:[ \u00a0]|&nbsp;)+([;?!»])")
_BEFORE_COLON = re.compile(r"(?:[ \u00a0]|&nbsp;)+(:)(?=\s|$|<)")
_AFTER_GUILLEMET = re.compile(r"«(?:[ \u00a0]|&nbsp;)+")


def _typeset_text(text, french):
    text = _APOSTROPHE.sub("’", text)
    if french:
        text = _BEFORE_TIGHT.sub(NNBSP + r"\1", text)
        text = _BEFORE_COLON.sub(NBSP + r"\1", text)
        text = _AFTER_GUILLEMET.sub("«" + NNBSP, text)
    return text


def typeset_html(html, *, french=True):
    """``html`` with curly apostrophes and, in French, no-break spaces before ; : ? ! »
    and after «, so that a line never starts with one of them."""
    parts = _TAG.split(html)
    verbatim = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            match = _TAG_NAME.match(part)
            if match and match.group(2).lower() in _VERBATIM and not part.endswith("/>"):
                verbatim = max(verbatim + (-1 if match.group(1) else 1), 0)
        elif part and not verbatim:
            parts[index] = _typeset_text(part, french)
    return "".join(parts)


@register.filter(is_safe=True)
def typeset(value):
    """French typography for a title or a body: plain text is escaped first, HTML kept."""
    if value in (None, ""):
        return ""
    french = (get_language() or settings.LANGUAGE_CODE).startswith("fr")
    return mark_safe(typeset_html(str(conditional_escape(value)), french=french))


WORDS_PER_MINUTE = 230


@register.inclusion_tag("blog/includes/table_of_contents.html")
def table_of_contents(article):
    """Links to the sections of the article's shown body: each h2, with the h3s under it.

    Read from ``body_html``, whose headings got their ids when it was saved
    (``medialib.rendering.heading_anchors``); no query. An h3 before any h2
    stands at the first level.
    """
    sections = []
    for level, anchor, text in headings(article.body_html):
        entry = {"id": anchor, "text": text, "children": []}
        if level == 3 and sections:
            sections[-1]["children"].append(entry)
        else:
            sections.append(entry)
    return {"sections": sections}


@register.filter
def reading_minutes(html):
    """Minutes an average reader needs for ``html`` (at least one)."""
    words = len(strip_tags(html or "").split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


@register.filter
def initials(name):
    """Up to two initials of a name, for the avatar of an author without a photo."""
    letters = [word[0] for word in re.split(r"[\s\-.]+", str(name or "")) if word and word[0].isalpha()]
    if not letters:
        return "?"
    return (letters[0] + (letters[-1] if len(letters) > 1 else "")).upper()


@register.filter
def avatar_hue(name):
    """One of eight colour classes, always the same for a given name."""
    return zlib.crc32(str(name or "").encode()) % 8


@register.filter
def iso_datetime(value):
    """An ISO 8601 date and time to the second, in the site's time zone (for ``<time datetime>``)."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


@register.filter
def without_tag(messages, tag):
    """The messages (django.contrib.messages) that do not carry ``tag`` among their extra tags."""
    return [message for message in messages or () if tag not in message.extra_tags.split()]


def text_list(items):
    """``items`` as a sentence's list, "A", "A and B", "A, B and C" (translated), escaped
    unless already safe."""
    items = [conditional_escape(item) for item in items]
    if len(items) < 2:
        return mark_safe("".join(items))
    pattern = conditional_escape(gettext("%(items)s and %(last)s"))
    return mark_safe(pattern % {"items": ", ".join(items[:-1]), "last": items[-1]})


@register.filter
def author_links(users):
    """A byline's names, each a link to the author's page: "A, B and C"."""
    return text_list(
        format_html(
            '<a href="{}" rel="author">{}</a>',
            reverse("blog:author_detail", kwargs={"username": user.get_username()}),
            author_display_name(user),
        )
        for user in users
    )


@register.filter
def author_name(user):
    """The name readers see for ``user`` (their profile's, else their full name, else their login)."""
    return author_display_name(user)
