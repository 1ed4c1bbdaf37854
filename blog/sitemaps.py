"""The sitemap's sections: published articles, and the pages that list them.

Only pages a reader can open are listed: categories, keywords and authors
with at least one published article (keyword and author pages of drafts only
answer 404). Each entry's ``lastmod`` is its latest article's last change.
Absolute URLs come from the Site's domain, like the feeds'.

Static pages have no date of their own: their ``lastmod`` is the admin's
history of the page (its latest addition or change in ``LogEntry``), the only
record of when an editor changed it. A page never saved through the admin
(created by a command or a restore) has no ``lastmod``: none is better than a
wrong one, and the sitemap protocol makes it optional.
"""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.contrib.flatpages.sitemaps import FlatPageSitemap
from django.contrib.sitemaps import Sitemap
from django.db.models import F, Max
from django.urls import reverse

from .models import Article, Category


class ArticleSitemap(Sitemap):
    """Published articles that search engines may index at this address: not those
    marked "hide from search engines", nor those whose canonical address is
    elsewhere (a sitemap lists canonical addresses only)."""

    def items(self):
        return (
            Article.objects.published()
            .filter(noindex=False, canonical_url="")
            .only("slug", "publication_date", "published_at", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, article):
        return article.last_modified


def _latest_change(article):
    return max(article["updated"], article["published"])


class _ListingSitemap(Sitemap):
    """A section of list pages whose items are computed once per request (dicts with ``lastmod``)."""

    def lastmod(self, item):
        return item["lastmod"]

    def location(self, item):
        return item["location"]


class CategorySitemap(_ListingSitemap):
    """Categories whose page shows at least one article, their own or a sub-category's."""

    def items(self):
        latest = {
            row["category_id"]: _latest_change(row)
            for row in Article.objects.published()
            .exclude(category=None)
            .values("category_id")
            .annotate(updated=Max("updated_at"), published=Max("published_at"))
            .order_by()
        }
        categories = {category.pk: category for category in Category.objects.only("slug", "parent_id")}
        lastmod = {}
        for category_id, changed in latest.items():
            # A sub-category's articles show on every ancestor's page too.
            seen = set()
            while category_id is not None and category_id not in seen and category_id in categories:
                seen.add(category_id)
                lastmod[category_id] = max(lastmod.get(category_id, changed), changed)
                category_id = categories[category_id].parent_id
        return [
            {"location": categories[pk].get_absolute_url(), "lastmod": changed}
            for pk, changed in sorted(lastmod.items(), key=lambda entry: categories[entry[0]].slug)
        ]


class TagSitemap(_ListingSitemap):
    def items(self):
        rows = (
            Article.objects.published()
            .filter(tags__isnull=False)
            .values("tags__slug")
            .annotate(updated=Max("updated_at"), published=Max("published_at"))
            .order_by("tags__slug")
        )
        return [
            {
                "location": reverse("blog:tag_detail", kwargs={"slug": row["tags__slug"]}),
                "lastmod": _latest_change(row),
            }
            for row in rows
        ]


class AuthorSitemap(_ListingSitemap):
    def items(self):
        username_field = get_user_model().USERNAME_FIELD
        rows = (
            Article.objects.published()
            .values(username=F(f"author__{username_field}"))
            .annotate(updated=Max("updated_at"), published=Max("published_at"))
            .order_by("username")
        )
        return [
            {
                "location": reverse("blog:author_detail", kwargs={"username": row["username"]}),
                "lastmod": _latest_change(row),
            }
            for row in rows
        ]


class PageSitemap(FlatPageSitemap):
    """The static pages ("À propos"…), dated by their latest change in the admin."""

    def items(self):
        pages = list(super().items())
        history = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(FlatPage),
                object_id__in=[str(page.pk) for page in pages],
                action_flag__in=[ADDITION, CHANGE],
            )
            .values("object_id")
            .annotate(changed=Max("action_time"))
            .order_by()
        )
        self.changed = {row["object_id"]: row["changed"] for row in history}
        return pages

    def lastmod(self, page):
        return self.changed.get(str(page.pk))


class HomeSitemap(Sitemap):
    """The home page, which changes whenever an article goes online or is edited."""

    def items(self):
        return ["blog:article_list"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        latest = Article.objects.published().aggregate(
            updated=Max("updated_at"), published=Max("published_at")
        )
        return _latest_change(latest) if latest["published"] else None


sitemaps = {
    "home": HomeSitemap,
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
