"""The import shared by every format: the service behind ``import_movabletype``,
``import_blogger``, ``import_feed`` and ``import_dotclear``.

Each format has a reader (one module per format) that turns its export into
``Post`` objects, with their ``Comment`` objects, and makes the same choices as
the WordPress import: the first category is the article's, the others become
keywords; drafts stay drafts; comments keep their threading (as deep as the
site allows) and their links as text; old addresses become permanent
redirects. The reader first goes through the whole file once (``scan``), so a
broken file is refused before anything is written; the import itself runs in
one transaction. What each post and comment became is recorded in
``ImportedItem`` under ``<platform>:<site>``, so importing the same export
again updates instead of duplicating.
"""

import hashlib
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment, max_thread_level_for_content_type
from taggit.models import Tag

from blog.models import Article, AuthorProfile, Category
from caching.invalidation import purge_all
from editorial.revisions import article_snapshot
from editorial.services import article_revision_create
from medialib.embeds import fetching_disabled
from medialib.sanitize import html_to_text, sanitize_html
from wordpress.content import BodyNotes, comment_text, plain_text, remove_empty_paragraphs, wpautop
from wordpress.embeds import replace_players
from wordpress.importer import (
    ImportReport,
    comparable,
    make_slug,
    normalise_path,
    source_key,
    split_url,
    unique_slug,
)
from wordpress.models import ImportedItem

__all__ = ["Comment", "ImportFormatError", "Post", "Reader", "import_posts", "source_key", "split_url"]


class ImportFormatError(Exception):
    """The file cannot be imported; the message, meant for the operator, says why."""


@dataclass
class Comment:
    """A reader's comment. ``key`` is unique within its post; ``parent`` is the key of
    the comment it answers ("" for one that answers the post)."""

    key: str
    text: str
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    date: datetime | None = None
    public: bool = True
    removed: bool = False
    parent: str = ""
    trackback: bool = False


@dataclass
class Post:
    """An article as an export gives it.

    ``status`` is an ``Article.Status`` value, or "" for a post that is not
    imported (``skip_reason`` says why). ``line_breaks``: the body is written
    in the blank-line-paragraphs shorthand rather than HTML. ``link`` is the
    post's old address, redirected to its new one once published.
    """

    key: str
    title: str = ""
    body: str = ""
    excerpt: str = ""
    extended: str = ""
    date: datetime | None = None
    status: str = Article.Status.PUBLISHED
    skip_reason: str = ""
    author: str = ""
    author_email: str = ""
    slug: str = ""
    link: str = ""
    categories: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    comments_open: bool = True
    line_breaks: bool = False
    comments: list = field(default_factory=list)
    # What the summary counts it under ("pages" for a skipped static page).
    kind: str = "posts"


class Reader:
    """What the service needs of a format's reader.

    ``platform`` names the format in sources (``blogger``); ``created_note``
    and ``updated_note`` are the comments of the versions an import keeps.
    ``scan()`` reads the whole file once, raising ``ImportFormatError`` on any
    problem, and returns the number of posts; ``site`` is then the blog's
    identity ("" if the file gives none); ``posts()`` reads it again and yields
    ``Post`` objects.
    """

    platform = ""
    created_note = ""
    updated_note = ""
    site = ""

    def scan(self) -> int:
        raise NotImplementedError

    def posts(self) -> Iterator[Post]:
        raise NotImplementedError


_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)


def convert_html(text: str, *, notes: BodyNotes, line_breaks: bool = False) -> str:
    """An exported body as the blog's sanitised HTML.

    What the sanitiser would drop with its content is converted first, as the
    WordPress import does: embedded players become links, ``<h1>`` becomes
    ``<h2>``. ``line_breaks``: blank lines are paragraphs and single newlines
    line breaks (Movable Type's "convert breaks").
    """
    text = text or ""
    notes.convert(_("<h1> headings → <h2>"), len(re.findall(r"<h1\b", text, re.IGNORECASE)))
    text = _H1.sub(r"<\1h2", text)
    text = replace_players(text, notes=notes)
    if line_breaks:
        text = wpautop(text)
    return remove_empty_paragraphs(sanitize_html(text)).strip()


def short_key(key: str) -> str:
    """An identifier that fits ``ImportedItem.wp_id``, the same for the same text."""
    if len(key) <= 200:
        return key
    return f"{key[:150]}#{hashlib.sha1(key.encode()).hexdigest()}"


def name_source(*, platform: str, site: str, given: str = "") -> str:
    """``platform:site``; ``given`` (the command's ``--source``) wins over the file's own."""
    name = (given or "").strip()
    if name.startswith(f"{platform}:"):
        name = name[len(platform) + 1 :]
    name = name or site
    if not name:
        raise ImportFormatError(
            _(
                "The file does not say which blog it comes from: name the blog with --source, "
                "the same name each time this blog's exports are imported."
            )
        )
    return short_key(f"{platform}:{name}")


def import_posts(*, reader: Reader, source: str = "", dry_run: bool = False, progress=None) -> ImportReport:
    """Import what ``reader`` reads (see the module's docstring). ``progress(done, total)``
    is called after each post. Raises ``ImportFormatError`` if the file cannot be
    imported, leaving the database as it was."""
    return _Import(reader, given_source=source, dry_run=dry_run, progress=progress).run()


class _Import:
    def __init__(self, reader, *, given_source, dry_run, progress):
        self.reader = reader
        self.given_source = given_source
        self.dry_run = dry_run
        self.progress = progress or (lambda done, total: None)
        self.report = ImportReport(dry_run=dry_run)
        self.users = {}
        self.categories = {}
        self.tags = {}
        self.known = {}

    def run(self):
        total = self.reader.scan()
        self.source = name_source(
            platform=self.reader.platform, site=self.reader.site, given=self.given_source
        )
        self.report.source = self.source
        # Videos become cards from embeds already known only: an import downloads nothing.
        with fetching_disabled(), transaction.atomic():
            self.site = Site.objects.get_current()
            self.content_type = ContentType.objects.get_for_model(Article)
            self.max_level = max_thread_level_for_content_type(self.content_type)
            self.known = {
                (kind, key): object_id
                for kind, key, object_id in ImportedItem.objects.filter(source=self.source).values_list(
                    "kind", "wp_id", "object_id"
                )
            }
            seen = set()
            for done, post in enumerate(self.reader.posts(), start=1):
                if post.key in seen:
                    self.report.add("posts", "skipped", _("found twice in the file"))
                    self._skip_comments(post, _("its post was found twice in the file"))
                else:
                    seen.add(post.key)
                    self._import_post(post)
                self.progress(done, total)
            # Articles, comments and taxonomy at once: the whole site is built again.
            purge_all()
            if self.dry_run:
                transaction.set_rollback(True)
        return self.report

    # Bookkeeping ----------------------------------------------------------

    def _mapped(self, kind, key, model):
        object_id = self.known.get((kind, key))
        if object_id is None:
            return None
        return model.objects.filter(pk=object_id).first()

    def _remember(self, kind, key, obj):
        ImportedItem.objects.update_or_create(
            source=self.source,
            kind=kind,
            wp_id=key,
            defaults={"content_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk},
        )
        self.known[(kind, key)] = obj.pk

    def _skip_comments(self, post, reason):
        for _comment in post.comments:
            self.report.add("comments", "skipped", reason)

    @staticmethod
    def _valid_email(value):
        try:
            validate_email(value)
        except ValidationError:
            return False
        return True

    # Authors, categories, keywords -------------------------------------------

    def _user(self, name, email=""):
        """The user for an author's name: imported before, or matched by login or e-mail,
        or created with no usable password (they cannot log in until given one)."""
        name = plain_text(name)[:150] or self.reader.platform
        if name in self.users:
            return self.users[name]
        user_model = get_user_model()
        username = (re.sub(r"[^\w.@+-]", "_", slugify(name) or name))[:150]
        email = email.strip() if self._valid_email(email.strip()) else ""
        user = self._mapped(ImportedItem.Kind.AUTHOR, name, user_model)
        if user is None:
            user = user_model.objects.filter(username__in={name, username}).first()
        if user is None and email:
            user = user_model.objects.filter(email__iexact=email).order_by("pk").first()
        if user is None:
            user = user_model(username=username, email=email)
            user.set_unusable_password()
            user.save()
            self.report.add("authors", "created")
        else:
            self.report.add("authors", "updated")
        AuthorProfile.objects.get_or_create(user=user, defaults={"display_name": name[:100]})
        self._remember(ImportedItem.Kind.AUTHOR, name, user)
        self.users[name] = user
        return user

    def _category(self, name):
        name = plain_text(name)[:100]
        slug = make_slug(name, fallback="")[:100]
        if not slug:
            return None
        if slug in self.categories:
            return self.categories[slug]
        category = self._mapped(ImportedItem.Kind.CATEGORY, slug, Category)
        if category is None:
            category = Category.objects.filter(slug=slug).first()
        if category is None:
            category = Category(slug=slug, name=name)
            category.save()
            self.report.add("categories", "created")
        else:
            self.report.add("categories", "updated")
        self._remember(ImportedItem.Kind.CATEGORY, slug, category)
        self.categories[slug] = category
        return category

    def _tag(self, name, *, key=""):
        """The keyword for a label or tag; keywords are unique by name here."""
        name = plain_text(name)[:100]
        slug = make_slug(name, fallback="")[:100]
        if not name or not slug:
            return None
        key = key or f"tag:{name.lower()}"
        if key in self.tags:
            return self.tags[key]
        tag = self._mapped(ImportedItem.Kind.TAG, key, Tag)
        if tag is None:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.filter(slug=slug).first()
        if tag is None:
            tag = Tag.objects.create(
                name=name,
                slug=unique_slug(slug, lambda s: Tag.objects.filter(slug=s).exists(), max_length=100),
            )
            self.report.add("tags", "created")
        else:
            self.report.add("tags", "updated")
        self._remember(ImportedItem.Kind.TAG, key, tag)
        self.tags[key] = tag
        return tag

    # Posts ------------------------------------------------------------------

    def _import_post(self, post):
        if not post.status:
            self.report.add(post.kind, "skipped", post.skip_reason or _("not a post"))
            self._skip_comments(post, _("its post was not imported"))
            return
        article = self._mapped(ImportedItem.Kind.POST, post.key, Article)
        # In UTC, as the database gives it back: an unchanged date is then seen as unchanged.
        published_at = post.date.astimezone(UTC) if post.date else None
        if published_at is None and post.status == Article.Status.PUBLISHED:
            if article is not None and article.published_at is not None:
                published_at = article.published_at
            else:
                published_at = timezone.now()
                self.report.note("posts", _("no date in the export: dated at their first import"))
        self.report.add("posts", "created" if article is None else "updated")
        before = article_snapshot(article) if article is not None else None
        article = article or Article()
        title = plain_text(post.title) or _("Untitled")
        base_slug = make_slug(post.slug, title, fallback=f"article-{slugify(post.key)[:40] or 'x'}")[:200]
        day = timezone.localdate(published_at) if published_at else None
        others = Article.objects.exclude(pk=article.pk)
        article.slug = unique_slug(
            base_slug,
            lambda slug: day is not None and others.filter(publication_date=day, slug=slug).exists(),
            max_length=200,
        )
        article.title = title[:200]
        article.author = self._user(post.author, post.author_email)
        described = _("Post “%s”") % title
        notes = BodyNotes()
        body = convert_html(post.body, notes=notes, line_breaks=post.line_breaks)
        article.excerpt = plain_text(post.excerpt)
        if post.extended.strip():
            extended = convert_html(post.extended, notes=notes, line_breaks=post.line_breaks)
            if not article.excerpt:
                article.excerpt = html_to_text(body)
                self.report.converted[_("main text of posts with an extended text → excerpt")] += 1
            body = f"{body}\n{extended}".strip()
        article.body = body
        self.report.merge(notes, described)
        if not html_to_text(body) and not re.search(r"<(img|hr)\b", body):
            self.report.note("posts", _("imported with an empty body"))
            self.report.warnings.append(_("%s: the body is empty") % described)
        article.status = post.status
        article.published_at = published_at
        article.comments_enabled = post.comments_open
        categories = list(dict.fromkeys(filter(None, map(self._category, post.categories))))
        article.category = categories[0] if categories else None
        keywords = [self._tag(name) for name in post.tags]
        if len(categories) > 1:
            # An article has one category: the others become keywords, so that
            # the article is still found under each of them.
            self.report.note(
                "posts",
                _(
                    "in several categories: the first is the article's category, "
                    "the others are added as keywords"
                ),
            )
            for category in categories[1:]:
                keywords.append(self._tag(category.name, key=f"category:{category.slug}"))
                self.report.converted[_("second and further categories → keywords")] += 1
        article.save()
        article.tags.set(list(dict.fromkeys(k for k in keywords if k is not None)), clear=True)
        self._remember(ImportedItem.Kind.POST, post.key, article)
        if before is None:
            article_revision_create(article=article, comment=str(self.reader.created_note))
        elif comparable(article_snapshot(article)) != comparable(before):
            article_revision_create(article=article, comment=str(self.reader.updated_note))
        if article.status == Article.Status.PUBLISHED:
            self._redirect(post.link, article.get_absolute_url())
        self._import_comments(post, article)

    # Redirects --------------------------------------------------------------

    def _redirect(self, link, new_path):
        """A permanent redirect from the old address's path to the new one.

        The redirects app compares paths only: an old address with a query
        string (``/index.php?post/…``) cannot be redirected this way.
        """
        if not link:
            return
        parts = split_url(link)
        if parts.query or parts.path in ("", "/"):
            self.report.add("redirects", "skipped", _("old address with a query string or no path"))
            return
        old_path = escape_uri_path(normalise_path(unquote(parts.path), trailing_slash=False))
        if unquote(old_path).rstrip("/") == unquote(new_path).rstrip("/"):
            # The same address: a redirect would send readers round in a loop.
            Redirect.objects.filter(site=self.site, old_path=old_path).delete()
            return
        if len(old_path) > 200 or len(new_path) > 200:
            self.report.add("redirects", "skipped", _("address longer than 200 characters"))
            return
        _redirect, created = Redirect.objects.update_or_create(
            site=self.site, old_path=old_path, defaults={"new_path": new_path}
        )
        self.report.add("redirects", "created" if created else "updated")

    # Comments ---------------------------------------------------------------

    @staticmethod
    def _ordered(comments):
        """Parents before their replies (the threading needs the parent to exist)."""
        minimum = timezone.make_aware(datetime(1970, 1, 1), timezone.get_default_timezone())
        pending = sorted(comments, key=lambda c: (c.date or minimum, c.key))
        keys = {comment.key for comment in comments}
        placed, ordered = set(), []
        while pending:
            ready = [c for c in pending if c.parent not in keys or c.parent in placed or c.parent == c.key]
            if not ready:
                # A loop of replies: break it by taking the oldest as a new thread.
                ready = pending[:1]
                ready[0].parent = ""
            ordered.extend(ready)
            placed.update(c.key for c in ready)
            pending = [c for c in pending if c.key not in placed]
        return ordered

    def _import_comments(self, post, article):
        saved = {}
        moved = 0
        for comment in self._ordered(post.comments):
            if comment.trackback:
                self.report.add("comments", "skipped", _("pingbacks and trackbacks"))
                continue
            notes = BodyNotes()
            text = comment_text(comment.text, notes=notes)
            if not text:
                self.report.add("comments", "skipped", _("empty"))
                continue
            self.report.merge(notes, "")
            key = short_key(f"{post.key}#{comment.key}")
            existing = self._mapped(ImportedItem.Kind.COMMENT, key, XtdComment)
            target = existing or XtdComment(
                content_type=self.content_type, object_pk=str(article.pk), site=self.site
            )
            before = self._comment_fields(target)
            target.user_name = plain_text(comment.author)[:50]
            email = comment.email.strip()
            target.user_email = email[:254] if self._valid_email(email) else ""
            url = comment.url.strip()
            target.user_url = url[:200] if split_url(url).scheme in ("http", "https") else ""
            target.ip_address = self._ip(comment.ip)
            target.submit_date = comment.date or article.published_at or timezone.now()
            target.comment = text
            target.is_public = comment.public
            target.is_removed = comment.removed
            if existing is None:
                parent = saved.get(comment.parent) if comment.parent != comment.key else None
                if parent is not None and self.max_level:
                    # Deeper than the site allows: under the deepest ancestor that may have replies.
                    if parent.level >= self.max_level:
                        moved += 1
                    while parent.level >= self.max_level and parent.parent_id != parent.pk:
                        parent = XtdComment.objects.get(pk=parent.parent_id)
                target.parent_id = parent.pk if parent is not None and self.max_level else 0
                target.save()
                self.report.add("comments", "created")
            else:
                if self._comment_fields(target) != before:
                    # An unchanged comment is not saved again: re-importing a large blog stays quick.
                    target.save()
                self.report.add("comments", "updated")
            saved[comment.key] = target
            self._remember(ImportedItem.Kind.COMMENT, key, target)
        if moved:
            self.report.note(
                "comments",
                _("replies deeper than the site allows: attached to their deepest allowed ancestor"),
                moved,
            )

    _COMMENT_FIELDS = (
        "user_name", "user_email", "user_url", "ip_address",
        "submit_date", "comment", "is_public", "is_removed",
    )  # fmt: skip

    def _comment_fields(self, comment):
        return tuple(getattr(comment, name) for name in self._COMMENT_FIELDS)

    @staticmethod
    def _ip(value):
        try:
            return str(ipaddress.ip_address((value or "").strip()))
        except ValueError:
            return None
