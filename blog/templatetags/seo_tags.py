"""What search engines and social networks read in a page's head, and the share links.

Absolute URLs are built on the Site's domain, as in the feeds and the
sitemap, so that every copy of an address names the same page.
"""

import json
from urllib.parse import quote, urlencode

from django import template
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import add_domain
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from medialib.sanitize import html_to_text

from ..models import Category, author_display_name

register = template.Library()

# JSON inside <script> must not be able to close it (or open a comment):
# the same escapes as Django's json_script, which only writes type="application/json".
SHARE_X = "https://twitter.com/intent/tweet"
SHARE_LINKEDIN = "https://www.linkedin.com/sharing/share-offsite/"
SHARE_FACEBOOK = "https://www.facebook.com/sharer/sharer.php"
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _absolute(request, path):
    return add_domain(get_current_site(request).domain, path, request.is_secure())


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """``path`` as an absolute URL on the Site's domain, with the request's scheme."""
    return _absolute(context["request"], path)


# The image social networks show for a page that has none of its own (1200 x 630).
SITE_IMAGE = "img/og-default.png"
SITE_IMAGE_SIZE = (1200, 630)
OG_LOCALES = {"fr": "fr_FR", "en": "en_US"}


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's own address, on the Site's domain: its path, and its page number past the first.

    Other query parameters (tracking tags, sort orders that do not exist) never
    make a second address for the same page.
    """
    request = context["request"]
    page_obj = context.get("page_obj")
    path = request.path
    if page_obj is not None and getattr(page_obj, "number", 1) > 1:
        path = f"{path}?{urlencode({'page': page_obj.number})}"
    return _absolute(request, path)


@register.simple_tag
def og_locale():
    """The Open Graph locale of the page's language (``fr_FR``, ``en_US``)."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return OG_LOCALES.get(language, language)


@register.simple_tag(takes_context=True)
def site_image_url(context):
    """The absolute URL of the site's own image, for pages without an image of their own."""
    return _absolute(context["request"], static(SITE_IMAGE))


@register.simple_tag
def article_description(article):
    """The article's summary for search engines: its SEO description, else its excerpt, else its opening."""
    text = " ".join((article.meta_description or html_to_text(article.body)).split())
    return Truncator(text).chars(160)


def share_image(article):
    """The library image the editor chose for sharing ``article``, if it has a file, else None."""
    image = getattr(article, "social_image", None)
    return image if image is not None and image.file else None


@register.simple_tag(takes_context=True)
def article_image_url(context, article):
    """The absolute URL of the image shown when the article is shared, or "" when it has none:
    its sharing image, else its featured image.

    Reads ``article.featured_image`` when the model has such a file field.
    """
    chosen = share_image(article)
    image = chosen.file if chosen is not None else getattr(article, "featured_image", None)
    if not image:
        return ""
    url = getattr(image, "url", image)
    return url if "://" in url else _absolute(context["request"], url)


def _category_trail(category):
    """The category and its ancestors, root first; one query only when it has a parent."""
    if category is None:
        return []
    if category.parent_id is None:
        return [category]
    categories = {c.pk: c for c in Category.objects.all()}
    trail, current, seen = [], categories.get(category.pk, category), set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        trail.append(current)
        current = categories.get(current.parent_id)
    return trail[::-1]


def _iso(moment):
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _json_ld(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """schema.org ``BlogPosting`` and ``BreadcrumbList`` data blocks for an article page.

    The author is one ``Person``, or a list of them, in the byline's order, when there are co-authors.
    """
    request = context["request"]
    url = _absolute(request, article.get_absolute_url())
    home = _absolute(request, reverse("blog:article_list"))
    people = [
        {
            "@type": "Person",
            "name": author_display_name(user),
            "url": _absolute(
                request, reverse("blog:author_detail", kwargs={"username": user.get_username()})
            ),
        }
        for user in article.author_list
    ]
    posting = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": article.title,
        "description": article_description(article),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": get_language(),
        "author": people[0] if len(people) == 1 else people,
        "publisher": {"@type": "Organization", "name": settings.BLOG_NAME, "url": home},
        "keywords": [tag.name for tag in article.tag_list],
    }
    if article.published_at:
        posting["datePublished"] = _iso(article.published_at)
    if article.last_modified:
        posting["dateModified"] = _iso(article.last_modified)
    if article.category:
        posting["articleSection"] = article.category.name
    posting["image"] = article_image_url(context, article) or site_image_url(context)
    crumbs = [(settings.BLOG_NAME, home)]
    crumbs += [(c.name, _absolute(request, c.get_absolute_url())) for c in _category_trail(article.category)]
    crumbs.append((article.title, url))
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": item}
            for position, (name, item) in enumerate(crumbs, start=1)
        ],
    }
    return _json_ld(posting) + _json_ld(breadcrumbs)


@register.inclusion_tag("blog/includes/share_links.html", takes_context=True)
def share_links(context, article):
    """Plain links to each network's share page: no script, nothing loaded from them until clicked."""
    url = _absolute(context["request"], article.get_absolute_url())
    return {
        "links": [
            ("x", "X (Twitter)", f"{SHARE_X}?{urlencode({'url': url, 'text': article.title})}"),
            ("linkedin", "LinkedIn", f"{SHARE_LINKEDIN}?{urlencode({'url': url})}"),
            ("facebook", "Facebook", f"{SHARE_FACEBOOK}?{urlencode({'u': url})}"),
        ],
        "mailto": f"mailto:?subject={quote(article.title)}&body={quote(url)}",
    }
