"""Importing a WordPress export: the service behind ``manage.py import_wordpress``.

The file is read twice, as a stream: a first pass collects what posts refer to
(authors, categories, tags, attachments, the page tree) and proves the file is
well-formed before anything is written; the second pass imports the posts and
pages one by one. Everything happens in one transaction. Each object created is
recorded in ``ImportedItem`` under its source site and WordPress ID (or, for an
item without an ID of its own, its guid, permalink or title and date: see
``ItemKeys``), so importing the same file again updates those objects instead
of creating new ones.
"""

import hashlib
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
from django.utils.translation import gettext_lazy, ngettext
from django_comments_xtd.models import XtdComment, max_thread_level_for_content_type
from taggit.models import Tag

from blog.models import Article, ArticleAuthor, AuthorProfile, Category
from caching.invalidation import purge_all
from editorial.revisions import article_snapshot
from editorial.services import article_revision_create
from medialib import images
from medialib.embeds import fetching_disabled
from medialib.models import MediaImage
from wordpress.models import ImportedItem

from .content import (
    BodyNotes,
    comment_text,
    convert_body,
    is_empty_body,
    plain_text,
    split_teaser,
    teaser_excerpt,
    upload_path,
)
from .reader import Author, Item, Term, WXRError, WXRReader

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"}
FALLBACK_AUTHOR = "wordpress"
# Co-Authors Plus: each author of a post is a term of this taxonomy (named by
# the login, with a slug "cap-<nicename>"), in the byline's order; authors
# without an account are items of the post type GUEST_AUTHOR.
COAUTHOR_TAXONOMY = "author"
GUEST_AUTHOR = "guest-author"
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
    """Counts per kind (created / updated / skipped) and why things were skipped,
    what the texts' conversion changed (``converted``), the shortcodes left as text
    (``shortcodes``) and what an editor should look at, item by item (``warnings``)."""

    dry_run: bool = False
    source: str = ""
    counts: dict = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    reasons: Counter = field(default_factory=Counter)
    converted: Counter = field(default_factory=Counter)
    shortcodes: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)

    def add(self, kind, outcome, reason=None):
        self.counts[kind][outcome] += 1
        if reason:
            self.reasons[(kind, str(reason))] += 1

    def note(self, kind, reason, count=1):
        """Something done to (or noticed about) ``count`` objects that were imported."""
        self.reasons[(kind, str(reason))] += count

    def merge(self, notes: BodyNotes, what: str):
        self.converted.update(notes.converted)
        self.shortcodes.update(notes.shortcodes)
        self.warnings.extend(f"{what}: {warning}" for warning in notes.warnings)


def _short_key(key: str) -> str:
    """An identifier that fits ``ImportedItem.wp_id``, the same for the same text."""
    if len(key) <= 200:
        return key
    return f"{key[:150]}#{hashlib.sha1(key.encode()).hexdigest()}"


def item_fallback_key(item: Item) -> str:
    """An item's identity when its WordPress ID is missing or shared: its guid, else its
    permalink, else its title and date."""
    if item.guid:
        return _short_key(f"guid:{item.guid}")
    if item.link:
        return _short_key(f"link:{item.link}")
    digest = hashlib.sha1(f"{item.post_type}\n{item.title}\n{item.date}\n{item.date_gmt}".encode())
    return f"hash:{digest.hexdigest()}"


class ItemKeys:
    """Gives each item of an export its identity, the same in both passes over the file.

    The WordPress ID when the item has one of its own; otherwise (missing, or
    already used by another item of the file) a key made from the item itself.
    An item found twice, identical, is reported as repeated.
    """

    REPEATED = "repeated"
    SHARED = "shared"
    NO_ID = "no id"

    def __init__(self):
        self.seen = {}

    def __call__(self, item: Item) -> tuple[str, str | None]:
        # A digest, not the texts: the file is read in constant memory.
        signature = hashlib.sha1(
            "\x00".join((item.post_type, item.guid, item.link, item.title, item.date, item.content)).encode()
        ).digest()
        fallback = item_fallback_key(item)
        problem = None if item.wp_id.isdigit() else self.NO_ID
        key = item.wp_id if problem is None else fallback
        if key in self.seen:
            if self.seen[key] == signature:
                return key, self.REPEATED
            problem, base, number = self.SHARED, _short_key(f"{key}:{fallback}"), 1
            key = base
            while key in self.seen:
                number += 1
                key = _short_key(f"{base}:{number}")
        self.seen[key] = signature
        return key, problem


_TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:\s+[\w:-]+(?:=\"[^\"]*\")?)+)\s*(/?)>")
_TAG_ATTRIBUTE = re.compile(r"[\w:-]+(?:=\"[^\"]*\")?")


def comparable(snapshot: dict) -> dict:
    """An article's snapshot with the attributes of each tag of its body in one order.

    The sanitiser may write an image's attributes in a different order from one
    process to the next; re-importing an unchanged post must not count that as a
    change (and write a revision).
    """

    def sort_attributes(match):
        attributes = sorted(_TAG_ATTRIBUTE.findall(match.group(2)))
        return f"<{match.group(1)} {' '.join(attributes)}{match.group(3)}>"

    return {**snapshot, "body": _TAG.sub(sort_attributes, snapshot.get("body") or "")}


def split_url(url: str):
    """``urlsplit``, with text that is not a URL (``http://[x``) read as an empty one."""
    try:
        return urlsplit((url or "").strip())
    except ValueError:
        return urlsplit("")


def source_key(url: str) -> str:
    """The exporting site's identity: host and path, without the scheme or trailing slash."""
    parts = split_url(url)
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}"[:200]


def export_source(site, *, given: str = "") -> tuple[str, str]:
    """(the exporting site's identity, the identity earlier versions of the import gave it).

    ``given`` (the command's ``--source``) wins. Otherwise the blog's address:
    the channel's ``<link>``, else ``base_blog_url`` (WordPress.com and network
    sites all share one ``base_site_url``), else ``base_site_url``. A file naming
    no address is known by its title and generator. Raises ``WXRError`` when
    the file gives nothing to tell it from another site's export.
    """
    legacy = source_key(site.base_site_url or site.link)
    if given.strip():
        return given.strip()[:200], ""
    for url in (site.link, site.base_blog_url, site.base_site_url):
        if split_url(url).netloc:
            return source_key(url), legacy
    if site.title or site.generator:
        return _short_key(f"title:{site.title} {site.generator}".strip()), legacy
    raise WXRError(
        _(
            "The file does not say which site it comes from (no <link>, no base_site_url, no <title>): "
            "name the site with --source, the same name each time this site's exports are imported."
        )
    )


def normalise_path(path: str, *, trailing_slash: bool = True) -> str:
    """``//a//b`` → ``/a/b/``: one slash between parts, one at the start (and, for pages, at the end)."""
    path = "/" + re.sub(r"/{2,}", "/", path).lstrip("/")
    if trailing_slash and not path.endswith("/"):
        path += "/"
    return path


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
    source: str = "",
) -> ImportReport:
    """Import a WXR file; see the module's docstring. ``progress(done, total)`` is
    called after each item. ``source`` names the exporting site (see
    ``export_source``). Raises ``WXRError`` if the file cannot be imported,
    leaving the database (and the media storage) as they were."""
    importer = _Importer(
        Path(path),
        media_dir=Path(media_dir) if media_dir else None,
        dry_run=dry_run,
        time_zone=time_zone or timezone.get_current_timezone(),
        progress=progress,
        source=source,
    )
    return importer.run()


class _Importer:
    def __init__(self, path, *, media_dir, dry_run, time_zone, progress, source=""):
        self.path = path
        self.given_source = source
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
        self.category_slugs = {}
        self.tag_slugs = {}
        self.total = 0
        # Filled while importing.
        self.users = {}
        self.categories = {}
        self.tags = {}
        self.new_urls = {}
        self.sources = {}
        self.saved_files = []
        self.known = {}
        self.tag_origins = {}
        self.moved_replies = 0
        self.deepest_reply = 0

    # Passes -----------------------------------------------------------------

    def run(self):
        if self.media_dir is not None and not self.media_dir.is_dir():
            raise WXRError(_("The media folder %s does not exist.") % self.media_dir)
        reader = WXRReader(self.path)
        self._scan(reader)
        self.source, legacy = export_source(reader.site, given=self.given_source)
        if (
            legacy
            and legacy != self.source
            and not ImportedItem.objects.filter(source=self.source).exists()
            and ImportedItem.objects.filter(source=legacy).exists()
        ):
            # Imported before under the name older versions gave this site.
            self.source = legacy
        self.report.source = self.source
        try:
            # Videos become cards from embeds already known only: an import downloads nothing.
            with fetching_disabled(), transaction.atomic():
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
        keys = ItemKeys()
        for entry in reader:
            if isinstance(entry, Author):
                if entry.login:
                    self.authors[entry.login] = entry
                    if entry.wp_id:
                        self.author_logins_by_id[entry.wp_id] = entry.login
            elif isinstance(entry, Term):
                if entry.taxonomy == "category":
                    self.category_terms.append(entry)
                    self.category_slugs.setdefault(plain_text(entry.name).lower(), entry.slug)
                elif entry.taxonomy == "post_tag":
                    self.tag_terms.append(entry)
                    self.tag_slugs.setdefault(plain_text(entry.name).lower(), entry.slug)
            elif isinstance(entry, Item):
                self.total += 1
                key, problem = keys(entry)
                if problem == ItemKeys.REPEATED:
                    continue
                if entry.post_type == "attachment":
                    url = entry.attachment_url or entry.guid
                    self.attachments[entry.wp_id if problem is None else key] = Attachment(
                        wp_id=entry.wp_id if problem is None else key,
                        url=url,
                        path=entry.postmeta.get("_wp_attached_file") or upload_path(url),
                        parent=entry.parent or "0",
                        menu_order=int(entry.menu_order) if entry.menu_order.lstrip("-").isdigit() else 0,
                        caption=plain_text(entry.excerpt),
                        alt=plain_text(entry.postmeta.get("_wp_attachment_image_alt", "")),
                        title=plain_text(entry.title),
                        creator=entry.creator,
                    )
                elif entry.post_type == "page" and problem is None:
                    self.pages[entry.wp_id] = (entry.slug, entry.parent or "0")
                elif entry.post_type == GUEST_AUTHOR:
                    self._scan_guest_author(entry)

    def _prepare(self):
        self.site = Site.objects.get_current()
        self.max_level = max_thread_level_for_content_type(ContentType.objects.get_for_model(Article))
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
        done, keys = 0, ItemKeys()
        for entry in WXRReader(self.path):
            if not isinstance(entry, Item):
                continue
            key, problem = keys(entry)
            kind = "pages" if entry.post_type == "page" else "posts"
            if problem == ItemKeys.REPEATED:
                self.report.add(kind, "skipped", _("found twice in the file (the same item)"))
                self._skip_comments(entry, _("its item was found twice in the file"))
            else:
                if problem == ItemKeys.NO_ID:
                    self.report.note(kind, _("no WordPress ID: known by their guid, address or title"))
                elif problem == ItemKeys.SHARED:
                    self.report.note(kind, _("WordPress ID shared with another item: imported separately"))
                if entry.post_type == "post":
                    self._import_post(entry, key)
                elif entry.post_type == "page":
                    self._import_page(entry, key)
                elif entry.post_type == "attachment":
                    self._skip_comments(entry, _("on attachments, which cannot have comments here"))
                elif entry.post_type == GUEST_AUTHOR:
                    pass  # an author of Co-Authors Plus, read by the first pass
                else:
                    self.report.add("posts", "skipped", _("content type “%s”") % entry.post_type)
                    self._skip_comments(entry, _("its item was not imported"))
            done += 1
            self.progress(done, self.total)
        if self.moved_replies:
            self.report.note(
                "comments",
                _(
                    "replies deeper than the site allows (COMMENTS_MAX_THREAD_LEVEL = %(max)d, the export "
                    "goes %(depth)d levels deep): attached to their deepest allowed ancestor"
                )
                % {"max": self.max_level, "depth": self.deepest_reply},
                self.moved_replies,
            )

    def _skip_comments(self, item, reason):
        for _comment in item.comments:
            self.report.add("comments", "skipped", reason)

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

    def _scan_guest_author(self, item):
        """A Co-Authors Plus guest author: an author like the export's own, if not one of them."""
        meta = item.postmeta
        login = plain_text(meta.get("cap-user_login", "")) or item.slug.removeprefix("cap-")
        if login and login not in self.authors:
            self.authors[login] = Author(
                wp_id="",
                login=login,
                email=meta.get("cap-user_email", "").strip(),
                display_name=meta.get("cap-display_name", "") or item.title,
                first_name=meta.get("cap-first_name", ""),
                last_name=meta.get("cap-last_name", ""),
            )

    def _item_coauthors(self, item):
        """The logins of an item's Co-Authors Plus authors, in order, without repeats."""
        logins = []
        for taxonomy, slug, name in item.terms:
            if taxonomy != COAUTHOR_TAXONOMY:
                continue
            login = plain_text(name) or slug.removeprefix("cap-")
            if login and login not in logins:
                logins.append(login)
        return logins

    def _set_coauthors(self, article, logins):
        """The article's co-authors: the post's authors after the main one, in their order."""
        wanted = []
        for login in logins:
            user = self._user(login)
            if user.pk != article.author_id and user not in wanted:
                wanted.append(user)
        if wanted:
            self.report.note("posts", _("with co-authors (Co-Authors Plus): kept in their order"))
        links = ArticleAuthor.objects.filter(article=article)
        if list(links.values_list("user_id", flat=True)) == [user.pk for user in wanted]:
            return
        links.delete()
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article=article, user=user, position=position)
            for position, user in enumerate(wanted, start=1)
        )

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

    def _tag(self, nicename, name, *, term_id="", key=""):
        """The keyword for a WordPress tag (or, with ``key``, for another term kept as a keyword).

        Keywords are unique by name here: two WordPress tags with the same name
        and different slugs become one keyword, and the summary says which.
        """
        key = key or term_id or f"slug:{nicename}"
        cache_key = key if key.startswith("category:") else nicename
        if cache_key in self.tags:
            return self.tags[cache_key]
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
        origins = self.tag_origins.setdefault(tag.pk, [])
        if not key.startswith("category:") and nicename not in origins:
            origins.append(nicename)
            if len(origins) == 2:
                self.report.note(
                    "tags",
                    _("“%(name)s”: WordPress tags %(slugs)s have the same name, merged into one keyword")
                    % {"name": tag.name, "slugs": ", ".join(origins)},
                )
        self._remember(ImportedItem.Kind.TAG, key, tag)
        self.tags[cache_key] = tag
        return tag

    def _item_terms(self, item):
        """(categories, tags, other terms) of an item, each a list of (slug, name), without repeats.

        A WXR 1.0 term has a name and no slug: it takes the slug of the term of
        that name declared at the top of the file, else one made from the name.
        """
        found = {"category": [], "post_tag": []}
        others = []
        for taxonomy, slug, name in item.terms:
            if taxonomy == COAUTHOR_TAXONOMY:
                continue  # the authors: see _item_coauthors
            if taxonomy not in found:
                others.append(taxonomy or "?")
                continue
            if not slug:
                declared = self.category_slugs if taxonomy == "category" else self.tag_slugs
                slug = declared.get(plain_text(name).lower()) or make_slug(name, fallback="")
                if not slug:
                    others.append(taxonomy)
                    continue
            if slug not in (known for known, _name in found[taxonomy]):
                found[taxonomy].append((slug, name))
        return found["category"], found["post_tag"], others

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

    def _import_post(self, item, key):
        what = _("Post %s") % (item.wp_id or key)
        status, reason = self._post_status(item)
        if status is None:
            self.report.add("posts", "skipped", reason)
            self._skip_comments(item, _("its post was not imported"))
            return
        if item.status == "private":
            self.report.reasons[("posts", _("private posts imported as drafts"))] += 1
        if item.password and item.status in ("publish", "future"):
            self.report.reasons[("posts", _("password-protected posts imported as drafts"))] += 1
        gmt, local = self._dates(item.date_gmt, item.date, what)
        article = self._mapped(ImportedItem.Kind.POST, key, Article)
        published_at = gmt
        if published_at is None and item.status in ("publish", "future", "private"):
            published_at = local
        if published_at is None and (
            item.status in ("publish", "future", "private") or status == Article.Status.PUBLISHED
        ):
            if article is not None and article.published_at is not None:
                # Dated when first imported: the date (and the address) stay.
                published_at = article.published_at
            else:
                published_at = timezone.now()
                self.report.note("posts", _("no date in the export: dated at their first import"))
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
        teaser, content = split_teaser(item.content)
        article.excerpt = plain_text(item.excerpt)
        if teaser and not article.excerpt:
            article.excerpt = teaser_excerpt(teaser)
            self.report.converted[_("text before <!--more--> → excerpt")] += 1
        elif teaser:
            self.report.converted[_("<!--more--> markers removed (the post has its own excerpt)")] += 1
        notes = BodyNotes()
        article.body = convert_body(
            content, attachments=self.attachments, new_urls=self.new_urls, post_id=item.wp_id, notes=notes
        )
        described = f"{what} “{title}”"
        self.report.merge(notes, described)
        if is_empty_body(article.body):
            self.report.note("posts", _("imported with an empty body"))
            self.report.warnings.append(_("%s: the body is empty") % described)
        article.status = status
        article.published_at = published_at
        article.featured = item.sticky
        article.comments_enabled = item.comment_status != "closed"
        categories, tags, others = self._item_terms(item)
        categories = [self._category(slug, name) for slug, name in categories]
        article.category = categories[0] if categories else None
        keywords = [self._tag(slug, name) for slug, name in tags]
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
                keywords.append(self._tag(category.slug, category.name, key=f"category:{category.slug}"))
                self.report.converted[_("second and further categories → keywords")] += 1
        for taxonomy in others:
            self.report.note("posts", _("terms of the taxonomy “%s”: not imported") % taxonomy)
        thumbnail = item.postmeta.get("_thumbnail_id", "").strip()
        if thumbnail and thumbnail != "0":
            self._featured_image(article, thumbnail)
        article.save()
        article.tags.set(list(dict.fromkeys(keywords)), clear=True)
        self._set_coauthors(article, self._item_coauthors(item))
        self._remember(ImportedItem.Kind.POST, key, article)
        if before is None:
            article_revision_create(article=article, comment=_("Imported from WordPress"))
        elif comparable(article_snapshot(article)) != comparable(before):
            article_revision_create(article=article, comment=_("Updated from a WordPress export"))
        if status == Article.Status.PUBLISHED:
            self._redirect(item.link, article.get_absolute_url())
        self._import_comments(item, article, key)

    # Pages ------------------------------------------------------------------

    def _page_url(self, item):
        parts = split_url(item.link)
        path = unquote(parts.path)
        if parts.query or path in ("", "/") or not _FLATPAGE_URL.match(path):
            slugs, wp_id, seen = [], item.wp_id, set()
            while wp_id in self.pages and wp_id not in seen:
                seen.add(wp_id)
                slug, wp_id = self.pages[wp_id]
                slugs.insert(0, make_slug(slug, fallback=f"page-{wp_id}"))
            path = "/" + "/".join(slugs)
        return normalise_path(path)[:100]

    def _import_page(self, item, key):
        if item.password:
            self.report.add("pages", "skipped", _("password-protected"))
            self._skip_comments(item, _("its page was not imported"))
            return
        if item.status not in ("publish", "private"):
            self.report.add("pages", "skipped", _("status “%s”") % (item.status or "?"))
            self._skip_comments(item, _("its page was not imported"))
            return
        url = self._page_url(item)
        page = self._mapped(ImportedItem.Kind.PAGE, key, FlatPage)
        if page is None:
            page = FlatPage.objects.filter(url=url, sites=self.site).first()
        self.report.add("pages", "created" if page is None else "updated")
        page = page or FlatPage()
        page.url = url
        page.title = (plain_text(item.title) or url)[:200]
        notes = BodyNotes()
        page.content = convert_body(
            item.content,
            attachments=self.attachments,
            new_urls=self.new_urls,
            post_id=item.wp_id,
            notes=notes,
        )
        described = _("Page %(url)s “%(title)s”") % {"url": url, "title": page.title}
        self.report.merge(notes, described)
        if split_teaser(item.content)[0]:
            self.report.converted[_("<!--more--> markers removed (static pages have no excerpt)")] += 1
        if is_empty_body(page.content):
            self.report.note("pages", _("imported with an empty body"))
            self.report.warnings.append(_("%s: the body is empty") % described)
        if item.comments:
            # The site's comments are for articles only (see comments/).
            self._skip_comments(item, _("on static pages, which cannot have comments"))
            self.report.warnings.append(
                ngettext(
                    "%(page)s: %(count)d comment not imported (static pages cannot have comments)",
                    "%(page)s: %(count)d comments not imported (static pages cannot have comments)",
                    len(item.comments),
                )
                % {"page": described, "count": len(item.comments)}
            )
        page.registration_required = item.status == "private"
        page.save()
        page.sites.add(self.site)
        self._remember(ImportedItem.Kind.PAGE, key, page)
        if item.status == "publish":
            self._redirect(item.link, page.url)

    # Redirects --------------------------------------------------------------

    def _redirect(self, link, new_path):
        """A permanent redirect from the WordPress permalink's path to the new address.

        ``?p=123`` links cannot be stored here (the redirects app compares paths
        only); ``wordpress.middleware.WordPressLinkMiddleware`` answers those.
        """
        parts = split_url(link)
        if parts.query or parts.path in ("", "/"):
            return
        old_path = escape_uri_path(normalise_path(unquote(parts.path), trailing_slash=False))
        if unquote(old_path) == unquote(new_path):
            # The same address, written differently: a redirect would send readers round in a loop.
            looping = Redirect.objects.filter(site=self.site, old_path=old_path, new_path=new_path)
            if looping.exists():
                looping.delete()
                self.report.note("redirects", _("removed: they pointed to their own address"))
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

    def _comment_keys(self, item, item_key):
        """Each comment's identity: its WordPress ID, within its post's when the post has no ID of its own."""
        keys = {}
        for comment in item.comments:
            wp_id = comment.wp_id if comment.wp_id.isdigit() else ""
            if not wp_id:
                digest = hashlib.sha1(f"{comment.author}\n{comment.date}\n{comment.content}".encode())
                wp_id = f"hash:{digest.hexdigest()[:20]}"
            key = (
                wp_id
                if item_key == item.wp_id and comment.wp_id.isdigit()
                else _short_key(f"{item_key}/{wp_id}")
            )
            keys[id(comment)] = key
            if comment.wp_id:
                keys.setdefault(comment.wp_id, key)
        return keys

    @staticmethod
    def _depths(comments):
        """How deep each comment is in the export's thread (0 for one that replies to the post)."""
        parents = {comment.wp_id: comment.parent for comment in comments if comment.wp_id}
        depths = {}
        for wp_id in parents:
            depth, current, seen = 0, parents[wp_id], {wp_id}
            while current in parents and current not in seen:
                seen.add(current)
                depth += 1
                current = parents[current]
            depths[wp_id] = depth
        return depths

    def _import_comments(self, item, article, item_key):
        content_type = ContentType.objects.get_for_model(Article)
        max_level = self.max_level
        threads = {}
        keys = self._comment_keys(item, item_key)
        depths = self._depths(item.comments)
        for comment in self._ordered_comments(item.comments):
            if comment.type not in ("", "comment"):
                self.report.add("comments", "skipped", _("pingbacks and trackbacks"))
                continue
            notes = BodyNotes()
            text = comment_text(comment.content, notes=notes)
            if not text:
                self.report.add("comments", "skipped", _("empty"))
                continue
            self.report.merge(notes, "")
            key = keys[id(comment)]
            what = _("Comment %s") % (comment.wp_id or key)
            gmt, local = self._dates(comment.date_gmt, comment.date, what)
            is_public, is_removed = self._STATES.get(comment.approved, (False, False))
            existing = self._mapped(ImportedItem.Kind.COMMENT, key, XtdComment)
            target = existing or XtdComment(
                content_type=content_type, object_pk=str(article.pk), site=self.site
            )
            login = self.author_logins_by_id.get(comment.user_id)
            target.user = self._user(login) if login else None
            target.user_name = plain_text(comment.author)[:50]
            email = comment.author_email.strip()
            target.user_email = email[:254] if self._valid_email(email) else ""
            url = comment.author_url.strip()
            target.user_url = url[:200] if split_url(url).scheme in ("http", "https") else ""
            target.ip_address = self._ip(comment.author_ip)
            target.submit_date = gmt or local or article.published_at or timezone.now()
            target.comment = text
            target.is_public = is_public
            target.is_removed = is_removed
            if existing is None:
                parent_key = (
                    keys.get(comment.parent, comment.parent) if comment.parent != comment.wp_id else ""
                )
                target.parent_id = self._reply_to(parent_key, threads, max_level)
                target.save()
                self.report.add("comments", "created")
            else:
                target.save()
                self.report.add("comments", "updated")
            depth = depths.get(comment.wp_id, 0)
            if depth > max_level:
                self.moved_replies += 1
                self.deepest_reply = max(self.deepest_reply, depth)
            threads[target.pk] = (target.level, target.parent_id)
            self._remember(ImportedItem.Kind.COMMENT, key, target)

    def _reply_to(self, wp_parent, threads, max_level):
        """The id of the comment a reply hangs under (0 for a new thread).

        When the site allows fewer levels than the export has, a deep reply
        goes under the deepest ancestor that may still have replies.
        """
        known = self.known.get((ImportedItem.Kind.COMMENT, wp_parent))
        if not wp_parent or wp_parent == "0" or known is None or known[1] is None or max_level == 0:
            return 0
        parent_pk = known[1]
        while parent_pk:
            if parent_pk not in threads:
                row = XtdComment.objects.filter(pk=parent_pk).values_list("level", "parent_id").first()
                if row is None:
                    return 0
                threads[parent_pk] = row
            level, grand_parent = threads[parent_pk]
            if level < max_level:
                break
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
