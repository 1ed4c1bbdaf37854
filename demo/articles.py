"""Create and remove the demo blog described in ``data/blog.json``.

Creation only adds what is missing: an author, category, keyword, article or
page that already exists (found by username, slug, name or address) is left
exactly as it is, so running it again duplicates nothing and never undoes an
editor's changes. Removal takes away only what creation made and nobody has
built on since: a category, keyword or author still used by other content stays.

The content is in French because the demo shows a French blog; it is content,
not interface, so it is not marked for translation. Articles are listed newest
first. ``days_ago`` places each one relative to the moment of the run, so the
demo always has recent articles; a negative value schedules the article in the
future. ``state`` is one of ``published``, ``scheduled``, ``draft`` or ``review``.

Most articles get a featured image, an abstract illustration drawn by
``demo.illustrations`` and saved through the article's image field, so its
renditions are made as for an editor's upload; every fifth one has none, so the
demo shows both kinds of pages.
"""

import datetime
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_comments.models import Comment
from taggit.models import Tag

from blog.models import Article, AuthorProfile, Category, FurtherReading
from demo.illustrations import HEIGHT as ILLUSTRATION_HEIGHT
from demo.illustrations import WIDTH as ILLUSTRATION_WIDTH
from demo.illustrations import illustration
from privacy.services import ensure_privacy_page

# Keys: authors, categories (parents before children), tags, flatpages, articles.
CONTENT = json.loads((Path(__file__).parent / "data" / "blog.json").read_text(encoding="utf-8"))

ILLUSTRATION_SIZE = (ILLUSTRATION_WIDTH, ILLUSTRATION_HEIGHT)
# Every fifth demo article (the 5th, 10th…) has no featured image.
WITHOUT_IMAGE_EVERY = 5

# Publication times cycle through these (hour, minute) pairs, so the demo does
# not look as if everything went out at the same minute.
PUBLICATION_TIMES = [(8, 30), (12, 15), (17, 45), (10, 0), (14, 20)]

Report = Callable[[str, str, bool], None]


def _silent(kind: str, label: str, created: bool) -> None:
    pass


@dataclass
class DemoResult:
    """What a run created (``created``) and found already there (``existing``), by kind."""

    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    articles: list[Article] = field(default_factory=list)

    def count(self, kind: str, created: bool) -> None:
        (self.created if created else self.existing)[kind] += 1

    @property
    def public_articles(self) -> list[Article]:
        """The demo articles readers can see now (not the drafts, nor the scheduled one)."""
        return [article for article in self.articles if article.is_public]


def publication_moment(*, days_ago: int, index: int, now: datetime.datetime) -> datetime.datetime:
    """The local date ``days_ago`` days before ``now`` (after it when negative), at a fixed time of day."""
    day = timezone.localdate(now) - datetime.timedelta(days=days_ago)
    hour, minute = PUBLICATION_TIMES[index % len(PUBLICATION_TIMES)]
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@transaction.atomic
def demo_create(*, now: datetime.datetime | None = None, report: Report = _silent) -> DemoResult:
    """Create the demo blog's authors, categories, keywords, articles and pages.

    ``report(kind, label, created)`` is called for every item, created or found.
    Dates are relative to ``now`` so the demo always has recent articles.
    """
    now = now or timezone.now()
    result = DemoResult()
    authors = _create_authors(result, report)
    categories = _create_categories(result, report)
    tags = _create_tags(result, report)
    result.articles = _create_articles(
        result, report, now=now, authors=authors, categories=categories, tags=tags
    )
    _create_flatpages(result, report)
    return result


def _create_authors(result: DemoResult, report: Report) -> dict:
    user_model = get_user_model()
    authors = {}
    for data in CONTENT["authors"]:
        user, created = user_model.objects.get_or_create(
            username=data["username"],
            defaults={
                "first_name": data["first_name"],
                "last_name": data["last_name"],
                "email": f"{data['username']}@example.org",
            },
        )
        if created:
            # Demo authors exist to sign articles; nobody can log in as them.
            user.set_unusable_password()
            user.save(update_fields=["password"])
        AuthorProfile.objects.get_or_create(
            user=user,
            defaults={key: data[key] for key in ("display_name", "bio", "website")},
        )
        authors[data["username"]] = user
        result.count("authors", created)
        report("authors", data["display_name"], created)
    return authors


def _create_categories(result: DemoResult, report: Report) -> dict:
    categories = {}
    for data in CONTENT["categories"]:
        category, created = Category.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "description": data["description"],
                "parent": categories.get(data["parent"]),
            },
        )
        categories[data["slug"]] = category
        result.count("categories", created)
        report("categories", data["name"], created)
    return categories


def _create_tags(result: DemoResult, report: Report) -> dict:
    tags = {}
    for name in CONTENT["tags"]:
        # Keywords are case-insensitive: "linkedin" typed by an editor is "LinkedIn".
        tag = Tag.objects.filter(name__iexact=name).first()
        created = tag is None
        if created:
            tag = Tag.objects.create(name=name)
        tags[name] = tag
        result.count("tags", created)
        report("tags", name, created)
    return tags


def _create_articles(result, report, *, now, authors, categories, tags) -> list[Article]:
    articles = []
    for index, data in enumerate(CONTENT["articles"]):
        author = authors[data["author"]]
        article = Article.objects.filter(author=author, slug=data["slug"]).first()
        created = article is None
        if created:
            article = Article(
                title=data["title"],
                slug=data["slug"],
                author=author,
                category=categories[data["category"]],
                excerpt=data["excerpt"],
                body=data["body"],
                featured=data.get("featured", False),
                **_status_fields(data, index=index, now=now),
            )
            if (index + 1) % WITHOUT_IMAGE_EVERY:
                picture, article.featured_image_alt = illustration(
                    slug=data["slug"], category=data["category"], index=index
                )
                article.featured_image.save(f"{data['slug']}.jpg", ContentFile(picture), save=False)
                # FieldFile.save() leaves the dimension fields empty: without them no renditions are made.
                article.featured_image_width, article.featured_image_height = ILLUSTRATION_SIZE
            article.save()
            article.tags.add(*(tags[name] for name in data["tags"]))
            FurtherReading.objects.bulk_create(
                FurtherReading(article=article, title=title, url=url, position=position)
                for position, (title, url) in enumerate(data["further_reading"])
            )
        articles.append(article)
        result.count("articles", created)
        report("articles", data["title"], created)
    return articles


def _status_fields(data: dict, *, index: int, now: datetime.datetime) -> dict:
    state = data["state"]
    if state in ("draft", "review"):
        return {"status": state, "published_at": None}
    if state not in ("published", "scheduled"):
        raise ValueError(f"Unknown demo article state: {state!r}")
    return {
        "status": Article.Status.PUBLISHED,
        "published_at": publication_moment(days_ago=data["days_ago"], index=index, now=now),
    }


def _create_flatpages(result: DemoResult, report: Report) -> None:
    site = Site.objects.get_current()
    for data in CONTENT["flatpages"]:
        page, created = FlatPage.objects.get_or_create(
            url=data["url"],
            defaults={"title": data["title"], "content": data["content"]},
        )
        page.sites.add(site)
        result.count("pages", created)
        report("pages", data["title"], created)
    # The privacy page migrate creates, if it was deleted since.
    page, created = ensure_privacy_page()
    result.count("pages", created)
    report("pages", page.title, created)


@transaction.atomic
def demo_remove() -> Counter:
    """Delete the demo content, keeping whatever other content still relies on.

    Returns the number of items removed, by kind.
    """
    removed = Counter()
    usernames = [data["username"] for data in CONTENT["authors"]]
    slugs = [data["slug"] for data in CONTENT["articles"]]

    articles = Article.objects.filter(author__username__in=usernames, slug__in=slugs)
    removed["articles"] = len(articles)
    # Their discussions go with them (Article.comments), counted first.
    removed["comments"] = Comment.objects.filter(commented_article__in=articles).count()
    # Deleted one by one so that taggit removes each article's keyword links.
    for article in articles:
        article.delete()

    unused_tags = Tag.objects.filter(name__in=CONTENT["tags"], taggit_taggeditem_items__isnull=True)
    removed["tags"], _ = unused_tags.delete()

    # Children before parents: a parent is protected while it has children.
    for data in reversed(CONTENT["categories"]):
        category = Category.objects.filter(slug=data["slug"], name=data["name"]).first()
        if category and not category.articles.exists() and not category.children.exists():
            category.delete()
            removed["categories"] += 1

    for user in get_user_model().objects.filter(username__in=usernames, articles__isnull=True):
        # Someone who could log in is a real account that happens to share a demo name.
        if not user.has_usable_password():
            user.delete()
            removed["authors"] += 1

    for data in CONTENT["flatpages"]:
        deleted, _ = FlatPage.objects.filter(url=data["url"], title=data["title"]).delete()
        removed["pages"] += 1 if deleted else 0
    return removed
