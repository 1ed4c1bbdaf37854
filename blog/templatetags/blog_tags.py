"""The sidebar's blocks. Each costs one query, whatever the number of articles.

They are the same on every page, so they are rendered once per generation of
the content and then read from the cache, with the rest of the site's frame
(``site_frame``).
"""

from typing import NamedTuple

from django import template
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.utils.translation import get_language
from taggit.models import Tag

from .. import cache, context_processors, reader_values, splicing
from ..models import Article, Category
from ..pagination import PageIds

register = template.Library()


@register.inclusion_tag("includes/sidebar_categories.html")
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


@register.inclusion_tag("includes/sidebar_recent.html")
def sidebar_recent_articles(count=5):
    articles = Article.objects.published().only("title", "slug", "publication_date")[:count]
    return {"articles": articles}


@register.inclusion_tag("includes/sidebar_archives.html")
def sidebar_archives():
    months = Article.objects.published().dates("publication_date", "month", order="DESC")
    return {"months": months}


@register.inclusion_tag("includes/sidebar_tags.html")
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


@register.simple_tag
def cached_include(template_name):
    """Render ``template_name`` once per generation of the content and language.

    Only for templates that depend on nothing but the published content and
    the blog's name: they are rendered without the page's context.
    """
    return cache.cached_fragment(
        "fragment",
        lambda: render_to_string(template_name, context_processors.blog(None)),
        vary=(template_name, get_language()),
    )


class Frame(NamedTuple):
    """The site's frame around every page: what it shows depends on the published content alone.

    A tuple of strings, so that each process's copy of it is used as it is (blog.cache).
    """

    head: str
    header: str
    sidebar: str
    footer: str


FRAME_TEMPLATES = Frame(
    head="includes/site_head.html",
    header="includes/site_header.html",
    sidebar="includes/sidebar.html",
    footer="includes/site_footer.html",
)


@register.simple_tag
def site_frame():
    """The parts of the site's frame, rendered once per generation of the content and language.

    One cache read for the four, which ``cached_include`` would read one by
    one. They are rendered without the page's context.
    """
    return cache.cached_fragment(
        "frame",
        lambda: Frame(*(render_to_string(name, context_processors.blog(None)) for name in FRAME_TEMPLATES)),
        vary=(get_language(),),
    )


@register.simple_tag
def article_summaries(articles):
    """The summary of each article of a list, each rendered once per generation.

    A summary shows the article (content) and its comment count (lists).
    ``articles`` is a list of articles, a queryset (only its ids are read
    first) or the ``PageIds`` of a page; the summaries come from the cache in
    one round trip and only the missing articles are loaded and rendered.
    """
    if isinstance(articles, QuerySet):
        articles = PageIds(articles.prefetch_related(None).values_list("pk", flat=True))
    if isinstance(articles, PageIds):
        ids, loaded = list(articles), {}
    else:
        loaded = {article.pk: article for article in articles}
        ids = list(loaded)
    # The first summary of a page loads its image at once, the others lazily.
    first = ids[0] if ids else None

    def build(missing):
        absent = [pk for pk in missing if pk not in loaded]
        if absent:
            loaded.update(Article.objects.for_listing().in_bulk(absent))
        return {pk: _render_summary(loaded[pk], first=pk == first) for pk in missing if pk in loaded}

    summaries = cache.cached_per_article("summary", ids, build, vary=lambda pk: (pk == first,))
    return [summaries[pk] for pk in ids if pk in summaries]


def _render_summary(article, *, first):
    return render_to_string("includes/article_summary.html", {"article": article, "first": first})


@register.tag
def cached_article(parser, token):
    """``{% cached_article article ["part"] %}…{% endcached_article %}``: part of an article's page, once.

    The enclosed markup is cached per generation of the content and of the
    article's own scope (its comments), per part, language and scheme (links
    are absolute), so it must show nothing that depends on the reader.
    Previews are always rendered.
    """
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError("cached_article takes the article and, optionally, a part name.")
    nodelist = parser.parse(("endcached_article",))
    parser.delete_first_token()
    part = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    return CachedArticleNode(nodelist, parser.compile_filter(bits[1]), part)


class CachedArticleNode(template.Node):
    def __init__(self, nodelist, article, part=None):
        self.nodelist = nodelist
        self.article = article
        self.part = part

    def render(self, context):
        article = self.article.resolve(context)
        scope = _cacheable_scope(article, context)
        if scope is None:
            return self.nodelist.render(context)
        request = context.get("request")
        return cache.cached_fragment(
            "article",
            lambda: self.nodelist.render(context),
            scopes=(cache.CONTENT, scope),
            vary=(
                article.pk,
                self.part.resolve(context) if self.part else "",
                get_language(),
                request is not None and request.is_secure(),
            ),
        )


def _cacheable_scope(article, context):
    """The cache scope of a published article's page; None for a preview, always rendered."""
    if context.get("is_preview") or not article.is_public or not article.publication_date:
        return None
    return cache.article_scope(publication_date=article.publication_date, slug=article.slug)


@register.tag
def cached_article_page(parser, token):
    """``{% cached_article_page article %}…{% endcached_article_page %}``: an article's main column, once.

    For anonymous readers of a published article the column (the article, its
    discussion and the comment form) is the same for everyone but for the CSRF
    token and the form's signed timestamp. It is kept per generation of the
    content and of the article's own scope, with those values left out, and
    each rendering puts in this reader's (see ``reader_values``). Signed-in
    readers, previews and a form placed under a comment (``?reply_to=``) get
    it rendered from its finer fragments. The column goes into the response
    as bytes (``splicing``): never put this tag inside other cached markup.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("cached_article_page takes the article.")
    nodelist = parser.parse(("endcached_article_page",))
    parser.delete_first_token()
    return CachedArticlePageNode(nodelist, parser.compile_filter(bits[1]))


class CachedArticlePageNode(template.Node):
    def __init__(self, nodelist, article):
        self.nodelist = nodelist
        self.article = article

    def render(self, context):
        article = self.article.resolve(context)
        request = context.get("request")
        user = getattr(request, "user", None)
        scope = _cacheable_scope(article, context)
        if (
            scope is None
            or request is None
            or (user is not None and user.is_authenticated)
            or "reply_to" in request.GET
        ):
            return self.nodelist.render(context)

        def build():
            return reader_values.keep(self.nodelist.render(context).encode())

        kept = cache.cached_fragment(
            "article-page-parts",
            build,
            scopes=(cache.CONTENT, scope),
            vary=(article.pk, get_language(), request.is_secure()),
        )
        return splicing.defer(reader_values.fill(kept, request))


@register.tag
def cached_markup(parser, token):
    """``{% cached_markup value … %}…{% endcached_markup %}``: markup rendered once, for every reader.

    The enclosed markup is cached per generation of the content and lists, per
    language, scheme and the given values (a category's id, the page's address
    when the markup has links that keep its query string), so it must show
    nothing but the published content and those values.
    """
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endcached_markup",))
    parser.delete_first_token()
    # Where the tag is: two tags never share their entries.
    place = f"{parser.origin.template_name if parser.origin else ''}:{token.lineno}"
    return CachedMarkupNode(nodelist, place, values)


class CachedMarkupNode(template.Node):
    def __init__(self, nodelist, place, values):
        self.nodelist = nodelist
        self.place = place
        self.values = values

    def render(self, context):
        request = context.get("request")
        return cache.cached_fragment(
            "markup",
            lambda: self.nodelist.render(context),
            scopes=cache.COMMON_SCOPES,
            vary=(
                self.place,
                get_language(),
                request is not None and request.is_secure(),
                *(value.resolve(context) for value in self.values),
            ),
        )
