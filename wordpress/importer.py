"""Importing a WordPress export: the service behind ``manage.py import_wordpress``.

The file is read twice, as a stream: a first pass collects what posts refer to
(authors, categories, tags, attachments, the page tree) and proves the file is
well-formed before anything is written; the second pass imports the posts and
pages one by one. Everything happens in one transaction. Each object created is
recorded in ``ImportedItem`` under its WordPress ID, so importing the same file
again updates those objects instead of creating new ones.
"""

import ipaddress
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_comments_xtd.models import XtdComment, max_thread_level_for_content_type
from taggit.models import Tag

from blog.models import Article, AuthorProfile, Category
from caching.invalidation import purge_all
from editorial.revisions import article_snapshot
from editorial.services import article_revision_create
from medialib import images
from medialib.models import MediaImage
from wordpress.models import ImportedItem

from .content import convert_body, plain_text, upload_path
from .reader import Author, Item, Term, WXRError, WXRReader

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"}
FALLBACK_AUTHOR = "wordpress"
_FLATPAGE_URL = re.compile(r"^[-\w/\.~]+$")

# What the summary lists, in this order.
KINDS = {
    "authors": gettext_lazy("authors"),
    "categories": gettext_lazy("categories"),
    "tags": gettext_lazy("tags"),
    "attachments": gettext_lazy("attachments"),
    "posts": gettext_lazy("posts"),
    "pages": gettext_lazy("pages"),
    "comments": gettext_lazy("comments"),
    "redirects": gettext_lazy("redirects"),
    "featured images": gettext_lazy("featured images"),
}


@dataclass
class Attachment:
    """What posts need to know about a WordPress attachment."""

    wp_id: str
    url: str
    path: str
    parent: str = "0"
    menu_order: int = 0
    caption: str = ""
    alt: str = ""
    title: str = ""
    creator: str = ""

    @property
    def is_image(self):
        return PurePosixPath(self.path or self.url).suffix.lower() in IMAGE_EXTENSIONS

    @property
    def description(self) -> str:
        """The alternative text: WordPress's own, else the title or caption, else the file name.

        Never empty, since an image shown without one is lost on readers who cannot see it.
        """
        name = PurePosixPath(self.path or self.url).name
        return (self.alt or self.title or self.caption or name or self.wp_id)[:250]


@dataclass
class ImportReport:
    """Counts per kind (created / updated / skipped) and why things were skipped."""

    dry_run: bool = False
    source: str = ""
    counts: dict = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    reasons: Counter = field(default_factory=Counter)

    def add(self, kind, outcome, reason=None):
        self.counts[kind][outcome] += 1
        if reason:
            self.reasons[(kind, str(reason))] += 1


def source_key(url: str) -> str:
    """The exporting site's identity: host and path, without the scheme or trailing slash."""
    parts = urlsplit(url.strip())
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}"[:200]


def unique_slug(base: str, taken, *, max_length: int) -> str:
    """``base``, or ``base-2``, ``base-3``… the first one ``taken(slug)`` says is free."""
    slug, number = base[:max_length], 1
    while taken(slug):
        number += 1
        suffix = f"-{number}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
    return slug


def make_slug(*candidates, fallback: str) -> str:
    """An ASCII slug from the first candidate that gives one (WordPress slugs may be percent-encoded)."""
    for candidate in candidates:
        slug = slugify(unquote(candidate or ""))
        if slug:
            return slug
    return fallback


def clean_image_file(*, source: Path, model, field_name: str):
    """The image at ``source``, checked and cleaned as an upload to ``model.field_name`` would be.

    Goes through ``medialib.images.clean_image_upload`` (a real image in an
    accepted format, not too large, metadata removed, scaled down to the
    field's maximum width). Raises ``ValueError`` with the reason otherwise.
    """
    setting = model._meta.get_field(field_name).max_width_setting
    max_width = getattr(settings, setting) if setting else None
    try:
        with source.open("rb") as stream:
            return images.clean_image_upload(File(stream, name=source.name), max_width=max_width)
    except OSError as error:
        raise ValueError(_("file could not be read")) from error
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from error


def import_attachment(*, source: Path, alt_text: str, uploaded_by=None) -> MediaImage:
    """Add the image at ``source`` to the media library, as an editor's upload would.

    This is the single place where an imported file enters the site. The
    renditions are made as the image is saved; the caller removes the files
    if the import does not go through.
    """
    content = clean_image_file(source=source, model=MediaImage, field_name="file")
    image = MediaImage(alt_text=alt_text, uploaded_by=uploaded_by)
    image.file.save(content.name, content, save=False)
    image.save()
    return image


def wordpress_import(
    *,
    path: str | Path,
    media_dir: str | Path | None = None,
    dry_run: bool = False,
    time_zone=None,
    progress=None,
) -> ImportReport:
    """Import a WXR file; see the module's docstring. ``progress(done, total)`` is
    called after each item. Raises ``WXRError`` if the file cannot be imported,
    leaving the database (and the media storage) as they were."""
    importer = _Importer(
        Path(path),
        media_dir=Path(media_dir) if media_dir else None,
        dry_run=dry_run,
        time_zone=time_zone or timezone.get_current_timezone(),
        progress=progress,
    )
    return importer.run()


class _Importer:
    def __init__(self, path, *, media_dir, dry_run, time_zone, progress):
        self.path = path
        self.media_dir = media_dir.resolve() if media_dir else None
        self.dry_run = dry_run
        self.time_zone = time_zone
        self.progress = progress or (lambda done, total: None)
        self.report = ImportReport(dry_run=dry_run)
        # Filled by the first pass.
        self.authors = {}
        self.author_logins_by_id = {}
        self.category_terms = []
        self.tag_terms = []
        self.attachments = {}
        self.pages = {}
        self.total = 0
        # Filled while importing.
        self.users = {}
        self.categories = {}
        self.tags = {}
        self.new_urls = {}
        self.sources = {}
        self.saved_files = []
        self.known = {}

    # Passes -----------------------------------------------------------------

    def run(self):
        if self.media_dir is not None and not self.media_dir.is_dir():
            raise WXRError(_("The media folder %s does not exist.") % self.media_dir)
        reader = WXRReader(self.path)
        self._scan(reader)
        self.source = source_key(reader.site.base_site_url or reader.site.link)
        self.report.source = self.source
        try:
            with transaction.atomic():
                self._prepare()
                self._import_items()
                # Articles, comments and taxonomy at once: the whole site is built again.
                purge_all()
                if self.dry_run:
                    transaction.set_rollback(True)
        except BaseException:
            self._delete_saved_files()
            raise
        return self.report

    def _delete_saved_files(self):
        """Remove the images (and their renditions) written by an import that was rolled back.

        The storage is not transactional: without this, a failed import would
        leave files that no row refers to.
        """
        for name in self.saved_files:
            images.image_delete(name=name)

    def _scan(self, reader):
        for entry in reader:
            if isinstance(entry, Author):
                if entry.login:
                    self.authors[entry.login] = entry
                    if entry.wp_id:
                        self.author_logins_by_id[entry.wp_id] = entry.login
            elif isinstance(entry, Term):
                if entry.taxonomy == "category":
                    self.category_terms.append(entry)
                elif entry.taxonomy == "post_tag":
                    self.tag_terms.append(entry)
            elif isinstance(entry, Item):
                self.total += 1
                if entry.post_type == "attachment":
                    url = entry.attachment_url or entry.guid
                    self.attachments[entry.wp_id] = Attachment(
                        wp_id=entry.wp_id,
                        url=url,
                        path=entry.postmeta.get("_wp_attached_file") or upload_path(url),
                        parent=entry.parent or "0",
                        menu_order=int(entry.menu_order) if entry.menu_order.lstrip("-").isdigit() else 0,
                        caption=plain_text(entry.excerpt),
                        alt=plain_text(entry.postmeta.get("_wp_attachment_image_alt", "")),
                        title=plain_text(entry.title),
                        creator=entry.creator,
                    )
                elif entry.post_type == "page":
                    self.pages[entry.wp_id] = (entry.slug, entry.parent or "0")

    def _prepare(self):
        self.site = Site.objects.get_current()
        self.known = {
            (kind, wp_id): (pk, object_id, stored_file)
            for pk, kind, wp_id, object_id, stored_file in ImportedItem.objects.filter(
                source=self.source
            ).values_list("pk", "kind", "wp_id", "object_id", "stored_file")
        }
        for login in self.authors:
            self._user(login)
        self._import_categories()
        for term in self.tag_terms:
            self._tag(term.slug, term.name, term_id=term.term_id)
        self._import_attachments()

    def _import_items(self):
        done = 0
        for entry in WXRReader(self.path):
            if not isinstance(entry, Item):
                continue
            if not entry.wp_id.isdigit():
                self.report.add("posts", "skipped", _("no WordPress ID"))
            elif entry.post_type == "post":
                self._import_post(entry)
            elif entry.post_type == "page":
                self._import_page(entry)
            elif entry.post_type != "attachment":
                self.report.add("posts", "skipped", _("content type “%s”") % entry.post_type)
            done += 1
            self.progress(done, self.total)

    # Bookkeeping ----------------------------------------------------------

    def _mapped(self, kind, wp_id, model):
        """The object imported earlier for this WordPress ID, if it still exists."""
        known = self.known.get((kind, wp_id))
        if known is None or known[1] is None:
            return None
        return model._default_manager.filter(pk=known[1]).first()

    def _remember(self, kind, wp_id, obj=None, stored_file=""):
        content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
        item, _created = ImportedItem.objects.update_or_create(
            source=self.source,
            kind=kind,
            wp_id=wp_id,
            defaults={
                "content_type": content_type,
                "object_id": obj.pk if obj is not None else None,
                "stored_file": stored_file,
            },
        )
        self.known[(kind, wp_id)] = (item.pk, item.object_id, stored_file)

    def _date(self, value, what, time_zone):
        if not value or value.startswith("0000-00-00"):
            return None
        try:
            naive = datetime.strptime(value.strip()[:19], "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise WXRError(_("%(what)s has an invalid date: “%(value)s”.") % {"what": what, "value": value})
        return timezone.make_aware(naive, time_zone)

    def _dates(self, gmt, local, what):
        """(date from the GMT field, date from the local field in the blog's time zone)."""
        return self._date(gmt, what, UTC), self._date(local, what, self.time_zone)

    # Authors ------------------------------------------------------------------

    def _user(self, login):
        """The user for a WordPress login: imported before, or matched by login or
        e-mail, or created (with no usable password: they cannot log in until an
        administrator gives them one)."""
        login = login or FALLBACK_AUTHOR
        if login in self.users:
            return self.users[login]
        user_model = get_user_model()
        author = self.authors.get(login) or Author(wp_id="", login=login)
        user = self._mapped(ImportedItem.Kind.AUTHOR, login, user_model)
        username = re.sub(r"[^\w.@+-]", "_", login)[:150]
        if user is None:
            user = user_model._default_manager.filter(username__in={login, username}).first()
        if user is None and author.email:
            user = user_model._default_manager.filter(email__iexact=author.email).order_by("pk").first()
        if user is None:
            user = user_model(
                username=username,
                email=author.email if self._valid_email(author.email) else "",
                first_name=plain_text(author.first_name)[:150],
                last_name=plain_text(author.last_name)[:150],
            )
            user.set_unusable_password()
            user.save()
            self.report.add("authors", "created")
        else:
            self.report.add("authors", "updated")
        display_name = plain_text(author.display_name) or user.get_full_name() or user.get_username()
        AuthorProfile.objects.get_or_create(user=user, defaults={"display_name": display_name[:100]})
        self._remember(ImportedItem.Kind.AUTHOR, login, user)
        self.users[login] = user
        return user

    @staticmethod
    def _valid_email(value):
        try:
            validate_email(value)
        except ValidationError:
            return False
        return True

    # Categories and tags ----------------------------------------------------------

    def _import_categories(self):
        for term in self.category_terms:
            self._category(term.slug, term.name, term_id=term.term_id, description=term.description)
        parents = dict(Category.objects.values_list("pk", "parent_id"))
        for term in self.category_terms:
            category = self.categories.get(term.slug)
            parent = self.categories.get(term.parent_slug) if term.parent_slug else None
            if category is None:
                continue
            ancestor = parent.pk if parent else None
            while ancestor is not None and ancestor != category.pk:
                ancestor = parents.get(ancestor)
            if ancestor == category.pk:
                self.report.reasons[("categories", _("parent ignored: it would make a loop"))] += 1
                parent = None
            if category.parent_id != (parent.pk if parent else None):
                category.parent = parent
                category.save(update_fields=["parent"])
                parents[category.pk] = category.parent_id

    def _category(self, nicename, name, *, term_id="", description=""):
        if nicename in self.categories:
            return self.categories[nicename]
        key = term_id or f"slug:{nicename}"
        slug = make_slug(nicename, name, fallback=f"category-{key}")[:100]
        category = self._mapped(ImportedItem.Kind.CATEGORY, key, Category)
        if category is None:
            category = Category.objects.filter(slug=slug).first()
        name = (plain_text(name) or nicename)[:100]
        if category is None:
            category = Category(slug=slug)
            self.report.add("categories", "created")
        else:
            self.report.add("categories", "updated")
        category.name = name
        if description:
            category.description = plain_text(description)
        category.save()
        self._remember(ImportedItem.Kind.CATEGORY, key, category)
        self.categories[nicename] = category
        return category

    def _tag(self, nicename, name, *, term_id=""):
        if nicename in self.tags:
            return self.tags[nicename]
        key = term_id or f"slug:{nicename}"
        name = (plain_text(name) or unquote(nicename))[:100]
        tag = self._mapped(ImportedItem.Kind.TAG, key, Tag)
        if tag is None:
            slug = make_slug(nicename, name, fallback=f"tag-{key}")[:100]
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
        self.tags[nicename] = tag
        return tag

    # Attachments ------------------------------------------------------------

    def _import_attachments(self):
        """Images become media library images; bodies are then rewritten to their addresses."""
        for attachment in self.attachments.values():
            if self.media_dir is None:
                self.report.add("attachments", "skipped", _("no --media-dir given"))
                continue
            if not attachment.is_image:
                self.report.add("attachments", "skipped", _("not an image"))
                continue
            source = (self.media_dir / attachment.path).resolve()
            if not source.is_relative_to(self.media_dir) or not attachment.path:
                self.report.add("attachments", "skipped", _("path outside the media folder"))
                continue
            image = self._mapped(ImportedItem.Kind.ATTACHMENT, attachment.wp_id, MediaImage)
            if image is not None:
                self._update_library_image(image, attachment)
                self.report.add("attachments", "updated")
            elif not source.is_file():
                self.report.add("attachments", "skipped", _("file missing from the media folder"))
                continue
            elif self.dry_run:
                try:
                    clean_image_file(source=source, model=MediaImage, field_name="file")
                except ValueError as error:
                    self.report.add("attachments", "skipped", error)
                    continue
                self.report.add("attachments", "created")
            else:
                try:
                    image = import_attachment(
                        source=source,
                        alt_text=attachment.description,
                        uploaded_by=self.users.get(attachment.creator),
                    )
                except ValueError as error:
                    self.report.add("attachments", "skipped", error)
                    continue
                self.saved_files.append(image.file.name)
                self.report.add("attachments", "created")
            self.sources[attachment.wp_id] = source
            if image is not None:
                self.new_urls[attachment.path] = image.file.url
                self._remember(
                    ImportedItem.Kind.ATTACHMENT, attachment.wp_id, image, stored_file=image.file.name
                )

    def _update_library_image(self, image, attachment):
        """An image imported before: its description follows the export, its file stays."""
        uploaded_by = self.users.get(attachment.creator, image.uploaded_by)
        if image.alt_text != attachment.description or image.uploaded_by != uploaded_by:
            image.alt_text = attachment.description
            image.uploaded_by = uploaded_by
            image.save(update_fields=["alt_text", "uploaded_by"])

    def _featured_image(self, article, thumbnail_id):
        """Set ``article``'s featured image from an imported attachment (before the article is saved).

        The file is cleaned again from the original, through the article's own
        field (its size limit, its renditions), rather than shared with the
        library image: deleting one must not break the other.
        """
        if thumbnail_id not in self.attachments:
            self.report.add("featured images", "skipped", _("attachment not in the export"))
            return
        if thumbnail_id not in self.sources:
            reason = _("no --media-dir given") if self.media_dir is None else _("attachment not imported")
            self.report.add("featured images", "skipped", reason)
            return
        attachment, source = self.attachments[thumbnail_id], self.sources[thumbnail_id]
        if not source.is_file():
            self.report.add("featured images", "skipped", _("file missing from the media folder"))
            return
        try:
            content = clean_image_file(source=source, model=Article, field_name="featured_image")
        except ValueError as error:
            self.report.add("featured images", "skipped", error)
            return
        if self._same_image(article.featured_image, content):
            self.report.add("featured images", "updated")
        else:
            self.report.add("featured images", "updated" if article.featured_image else "created")
            if not self.dry_run:
                article.featured_image.save(content.name, content, save=False)
                self.saved_files.append(article.featured_image.name)
        article.featured_image_alt = attachment.description
        article.featured_image_caption = attachment.caption[:250]

    @staticmethod
    def _same_image(image_file, content):
        """Whether the stored image is this one already (cleaning the same file gives the same bytes)."""
        if not image_file:
            return False
        try:
            with image_file.storage.open(image_file.name, "rb") as stored:
                return stored.read() == content.read()
        except OSError:
            return False
        finally:
            content.seek(0)

    # Posts ------------------------------------------------------------------

    def _post_status(self, item):
        """(our status, None), or (None, why the post is skipped).

        Private and password-protected posts become drafts: the blog has
        neither, and making them public would reveal what was hidden.
        """
        status = item.status
        if status in ("publish", "future"):
            if item.password:
                return Article.Status.DRAFT, None
            return Article.Status.PUBLISHED, None
        if status in ("draft", "private"):
            return Article.Status.DRAFT, None
        if status == "pending":
            return Article.Status.REVIEW, None
        if status == "trash":
            return None, _("in the trash")
        return None, _("status “%s”") % (status or "?")

    def _import_post(self, item):
        what = _("Post %s") % item.wp_id
        status, reason = self._post_status(item)
        if status is None:
            self.report.add("posts", "skipped", reason)
            for _comment in item.comments:
                self.report.add("comments", "skipped", _("its post was not imported"))
            return
        if item.status == "private":
            self.report.reasons[("posts", _("private posts imported as drafts"))] += 1
        if item.password and item.status in ("publish", "future"):
            self.report.reasons[("posts", _("password-protected posts imported as drafts"))] += 1
        gmt, local = self._dates(item.date_gmt, item.date, what)
        published_at = gmt
        if published_at is None and item.status in ("publish", "future", "private"):
            published_at = local or timezone.now()
        if status == Article.Status.PUBLISHED and published_at is None:
            published_at = timezone.now()
        article = self._mapped(ImportedItem.Kind.POST, item.wp_id, Article)
        self.report.add("posts", "created" if article is None else "updated")
        before = article_snapshot(article) if article is not None else None
        article = article or Article()
        title = plain_text(item.title) or _("Untitled")
        base_slug = make_slug(item.slug, title, fallback=f"article-{item.wp_id}")[:200]
        day = timezone.localdate(published_at) if published_at else None
        others = Article.objects.exclude(pk=article.pk)
        article.slug = unique_slug(
            base_slug,
            lambda slug: day is not None and others.filter(publication_date=day, slug=slug).exists(),
            max_length=200,
        )
        article.title = title[:200]
        article.author = self._user(item.creator)
        article.excerpt = plain_text(item.excerpt)
        article.body = convert_body(
            item.content, attachments=self.attachments, new_urls=self.new_urls, post_id=item.wp_id
        )
        article.status = status
        article.published_at = published_at
        article.featured = item.sticky
        article.comments_enabled = item.comment_status != "closed"
        categories = [(slug, name) for taxonomy, slug, name in item.terms if taxonomy == "category"]
        article.category = self._category(*categories[0]) if categories else None
        if len(categories) > 1:
            self.report.reasons[("posts", _("posts in several categories: the first was kept"))] += 1
        thumbnail = item.postmeta.get("_thumbnail_id", "").strip()
        if thumbnail and thumbnail != "0":
            self._featured_image(article, thumbnail)
        article.save()
        article.tags.set(
            [self._tag(slug, name) for taxonomy, slug, name in item.terms if taxonomy == "post_tag"],
            clear=True,
        )
        self._remember(ImportedItem.Kind.POST, item.wp_id, article)
        if before is None:
            article_revision_create(article=article, comment=_("Imported from WordPress"))
        elif article_snapshot(article) != before:
            article_revision_create(article=article, comment=_("Updated from a WordPress export"))
        if status == Article.Status.PUBLISHED:
            self._redirect(item.link, article.get_absolute_url())
        self._import_comments(item, article)

    # Pages ------------------------------------------------------------------

    def _page_url(self, item):
        parts = urlsplit(item.link)
        path = unquote(parts.path)
        if parts.query or path in ("", "/") or not _FLATPAGE_URL.match(path):
            slugs, wp_id, seen = [], item.wp_id, set()
            while wp_id in self.pages and wp_id not in seen:
                seen.add(wp_id)
                slug, wp_id = self.pages[wp_id]
                slugs.insert(0, make_slug(slug, fallback=f"page-{wp_id}"))
            path = "/" + "/".join(slugs)
        if not path.endswith("/"):
            path += "/"
        return path[:100]

    def _import_page(self, item):
        if item.password:
            self.report.add("pages", "skipped", _("password-protected"))
            return
        if item.status not in ("publish", "private"):
            self.report.add("pages", "skipped", _("status “%s”") % (item.status or "?"))
            return
        url = self._page_url(item)
        page = self._mapped(ImportedItem.Kind.PAGE, item.wp_id, FlatPage)
        if page is None:
            page = FlatPage.objects.filter(url=url, sites=self.site).first()
        self.report.add("pages", "created" if page is None else "updated")
        page = page or FlatPage()
        page.url = url
        page.title = (plain_text(item.title) or url)[:200]
        page.content = convert_body(
            item.content, attachments=self.attachments, new_urls=self.new_urls, post_id=item.wp_id
        )
        page.registration_required = item.status == "private"
        page.save()
        page.sites.add(self.site)
        self._remember(ImportedItem.Kind.PAGE, item.wp_id, page)
        if item.status == "publish":
            self._redirect(item.link, page.url)

    # Redirects --------------------------------------------------------------

    def _redirect(self, link, new_path):
        """A permanent redirect from the WordPress permalink's path to the new address.

        ``?p=123`` links cannot be stored here (the redirects app compares paths
        only); ``wordpress.middleware.WordPressLinkMiddleware`` answers those.
        """
        parts = urlsplit(link or "")
        if parts.query or parts.path in ("", "/"):
            return
        old_path = escape_uri_path(unquote(parts.path))
        if old_path == new_path:
            return
        if len(old_path) > 200 or len(new_path) > 200:
            self.report.add("redirects", "skipped", _("address longer than 200 characters"))
            return
        _redirect, created = Redirect.objects.update_or_create(
            site=self.site, old_path=old_path, defaults={"new_path": new_path}
        )
        self.report.add("redirects", "created" if created else "updated")

    # Comments ---------------------------------------------------------------

    _STATES = {
        "1": (True, False),
        "approve": (True, False),
        "0": (False, False),
        "hold": (False, False),
        "spam": (False, True),
        "trash": (False, True),
        "post-trashed": (False, True),
    }

    def _ordered_comments(self, comments):
        """Parents before their replies (the threading needs the parent to exist)."""
        pending = sorted(comments, key=lambda c: (c.date_gmt or c.date, int(c.wp_id or 0)))
        in_file = {comment.wp_id for comment in comments}
        placed, ordered = set(), []
        while pending:
            ready = [
                c for c in pending if c.parent not in in_file or c.parent in placed or c.parent == c.wp_id
            ]
            if not ready:
                # A loop of replies: break it by taking the oldest as a new thread.
                ready = pending[:1]
                ready[0].parent = "0"
            ordered.extend(ready)
            placed.update(c.wp_id for c in ready)
            pending = [c for c in pending if c.wp_id not in placed]
        return ordered

    def _import_comments(self, item, article):
        content_type = ContentType.objects.get_for_model(Article)
        max_level = max_thread_level_for_content_type(content_type)
        threads = {}
        for comment in self._ordered_comments(item.comments):
            if comment.type not in ("", "comment"):
                self.report.add("comments", "skipped", _("pingbacks and trackbacks"))
                continue
            text = plain_text(comment.content)
            if not text or not comment.wp_id:
                self.report.add("comments", "skipped", _("empty"))
                continue
            what = _("Comment %s") % comment.wp_id
            gmt, local = self._dates(comment.date_gmt, comment.date, what)
            is_public, is_removed = self._STATES.get(comment.approved, (False, False))
            existing = self._mapped(ImportedItem.Kind.COMMENT, comment.wp_id, XtdComment)
            target = existing or XtdComment(
                content_type=content_type, object_pk=str(article.pk), site=self.site
            )
            login = self.author_logins_by_id.get(comment.user_id)
            target.user = self._user(login) if login else None
            target.user_name = plain_text(comment.author)[:50]
            email = comment.author_email.strip()
            target.user_email = email[:254] if self._valid_email(email) else ""
            url = comment.author_url.strip()
            target.user_url = url[:200] if urlsplit(url).scheme in ("http", "https") else ""
            target.ip_address = self._ip(comment.author_ip)
            target.submit_date = gmt or local or article.published_at or timezone.now()
            target.comment = text
            target.is_public = is_public
            target.is_removed = is_removed
            if existing is None:
                target.parent_id = self._reply_to(comment.parent, threads, max_level)
                target.save()
                self.report.add("comments", "created")
            else:
                target.save()
                self.report.add("comments", "updated")
            threads[target.pk] = (target.level, target.parent_id)
            self._remember(ImportedItem.Kind.COMMENT, comment.wp_id, target)

    def _reply_to(self, wp_parent, threads, max_level):
        """The id of the comment a reply hangs under (0 for a new thread).

        When the site allows fewer levels than the export has, a deep reply
        goes under the deepest ancestor that may still have replies.
        """
        known = self.known.get((ImportedItem.Kind.COMMENT, wp_parent))
        if not wp_parent or wp_parent == "0" or known is None or known[1] is None or max_level == 0:
            return 0
        parent_pk, moved = known[1], False
        while parent_pk:
            if parent_pk not in threads:
                row = XtdComment.objects.filter(pk=parent_pk).values_list("level", "parent_id").first()
                if row is None:
                    return 0
                threads[parent_pk] = row
            level, grand_parent = threads[parent_pk]
            if level < max_level:
                break
            if not moved:
                self.report.reasons[("comments", _("replies moved up: deeper than the site allows"))] += 1
                moved = True
            if grand_parent == parent_pk:
                return 0
            parent_pk = grand_parent
        return parent_pk

    @staticmethod
    def _ip(value):
        try:
            return str(ipaddress.ip_address(value.strip()))
        except ValueError:
            return None
