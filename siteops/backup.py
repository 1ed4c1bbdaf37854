"""Backing up and restoring the whole site: database content and media files.

A backup is a ``.tar.gz`` archive, readable by its owner only (mode 0600), holding:

- ``data.xml``: every model's rows (``dumpdata`` with natural foreign keys, so
  content types, permissions and users are matched by name, not by id), except
  what ``migrate`` recreates or what has no value in a backup (content types,
  permissions, sessions, the admin's log). XML rather than JSON because
  Django's JSON encoder cuts times to the millisecond, and a restore must give
  back exactly what was saved. It holds personal data: the accounts with their
  password hashes, the login records of django-axes (addresses, browsers,
  user names tried), the commenters' e-mail and IP addresses. With
  ``personal_data=False`` the hashes are replaced by unusable passwords, the
  login records are left out and the commenters' e-mail and IP are blanked;
- ``media/…``: every image of the default storage (files that are not images
  are left out and reported: restore would refuse them);
- ``manifest.json``: format version, date, Django version, counts, whether
  personal data is in, and the size and SHA-256 of every other file;
- ``manifest.sig``: when ``BACKUP_SIGNING_KEY`` is set, the HMAC-SHA256 of the
  manifest with that key.

The database is read in one transaction (repeatable read on PostgreSQL), so the
dump is consistent even while the site is being used.

A restore trusts nothing in the archive. Before the database or the storage is
touched it checks: the archive opens and reads to its end; every member is a
plain file at a safe path; sizes stay under ``BACKUP_RESTORE_MAX_SIZE`` (all
files) and ``BACKUP_RESTORE_MAX_FILE_SIZE`` (each media file), read from the
archive's headers before anything is unpacked; the manifest is valid, signed
with ``BACKUP_SIGNING_KEY`` when that is set, and lists exactly the files
present, with their checksums; every media file is an image Pillow can read;
the data only holds models a backup holds. Accounts are restored only with
``include_users``: otherwise the archive's ``auth.user`` rows are dropped, and
references to accounts go to the account of this site with the same username;
where there is none, an optional reference is emptied, and a required one (an
article's author, an author's profile) stops the restore, naming the accounts
to create first. Every HTML field restored (articles' body, pages' content) goes
through the sanitiser, and articles' shown bodies are rebuilt from it.
Then the restore runs in one transaction: if anything fails, the database is
left as it was and the media files already written are removed.
"""

import gzip
import hashlib
import hmac
import json
import os
import tarfile
import tempfile
import warnings
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element, ParseError

import django
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from defusedxml.ElementTree import parse as parse_xml
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.exceptions import FieldDoesNotExist
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from blog.models import Article
from blog.services import article_bodies_refresh
from caching.invalidation import purge_all
from medialib.sanitize import sanitize_html
from privacy.policy import POLICY_URL

ARCHIVE_FORMAT = 2
# Recreated by migrate, or of no use in a backup. The audit trail and the staff's
# second factors (secrets) stay with the site that wrote them: a restore neither
# brings nor erases them, and staff set up their second factor again on a new site.
EXCLUDED = (
    "contenttypes", "auth.permission", "sessions", "admin.logentry",
    "accounts", "otp_totp", "otp_static",
)  # fmt: skip
# Login records (addresses, browsers, user names tried): left out without personal data.
PERSONAL_DATA_APPS = ("axes",)
# Fields blanked without personal data: (model, field) -> the value written instead.
PERSONAL_DATA_FIELDS = {
    ("django_comments.comment", "user_email"): "",
    ("django_comments.comment", "ip_address"): None,
}
# Rows that migrations create on every site (the site itself, the editorial
# roles): they do not make a site "non-empty", and the backup's copy replaces them.
ALWAYS_PRESENT = ("sites.site", "auth.group")
# HTML that pages show as it is stored: sanitised on restore, like on save.
HTML_FIELDS = ((Article, "body"), (FlatPage, "content"))
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MEDIA_PREFIX = "media/"
DATA_FILE = "data.xml"
MANIFEST_MAX_SIZE = 16 * 1024 * 1024
IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
CHUNK = 1024 * 1024
# What a damaged archive raises while it is read (gzip, bzip2 and xz streams included).
READ_ERRORS = (tarfile.TarError, EOFError, OSError, zlib.error, ValueError)


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why."""


@dataclass
class BackupReport:
    counts: Counter = field(default_factory=Counter)
    media_files: int = 0
    media_bytes: int = 0
    # Media files left out of a backup: (name, why).
    skipped: list = field(default_factory=list)


def backup_models(exclude=()):
    """The models a backup holds, as ``app_label.model`` labels."""
    excluded = {label.lower() for label in (*EXCLUDED, *exclude)}
    labels = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.app_label in excluded or meta.label_lower in excluded:
            continue
        labels.append(meta.label_lower)
    return sorted(labels)


def media_files(folder=""):
    """Every file name in the default storage (an absent media folder has none)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from media_files(f"{folder}/{sub}" if folder else sub)


def media_problem(stream, size):
    """Why a media file may not be restored (too large, not an image), or None."""
    limit = settings.BACKUP_RESTORE_MAX_FILE_SIZE
    if size > limit:
        return _("too large (%(size)s; the limit is %(limit)s)") % {
            "size": filesizeformat(size),
            "limit": filesizeformat(limit),
        }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream)
            if image.format not in IMAGE_FORMATS:
                return _("not an image in an accepted format (JPEG, PNG, GIF, WebP)")
            width, height = image.size
            if width * height > settings.BLOG_IMAGE_MAX_PIXELS:
                return _("an image of too many pixels")
            image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        return _("not an image, or a damaged one")
    return None


@contextmanager
def consistent_read():
    """One transaction that sees a single state of the database from start to end."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # Only the first statement of a transaction may set its isolation level;
        # inside an outer transaction (the tests) the caller's level applies.
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _signature(content: bytes) -> str:
    return hmac.new(settings.BACKUP_SIGNING_KEY.encode(), content, hashlib.sha256).hexdigest()


def _file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _without_personal_data(data_path):
    """Rewrite the dump with unusable passwords and blank commenters' e-mail and IP addresses."""
    tree = parse_xml(data_path)
    user_label = get_user_model()._meta.label_lower
    for obj in tree.getroot():
        model = obj.get("model")
        for element in obj.findall("field"):
            name = element.get("name")
            if model == user_label and name == "password":
                element.text = make_password(None)
            elif (model, name) in PERSONAL_DATA_FIELDS:
                _set_field(element, PERSONAL_DATA_FIELDS[(model, name)])
    tree.write(data_path, encoding="utf-8", xml_declaration=True)


def _set_field(element, value):
    """Give a field of Django's XML format a new value (None: SQL NULL)."""
    for child in list(element):
        element.remove(child)
    if value is None:
        element.text = None
        element.append(Element("None"))
    else:
        element.text = value


def site_backup(*, path, exclude=(), personal_data=True) -> BackupReport:
    """Write the archive described in the module's docstring to ``path``.

    The archive is written under a temporary name, readable by its owner only,
    and renamed into place once complete: an existing file at ``path`` is
    replaced whole (and its permissions with it), never half-written.
    """
    report = BackupReport()
    labels = backup_models([*exclude, *(() if personal_data else PERSONAL_DATA_APPS)])
    target = Path(path)
    with tempfile.TemporaryDirectory() as folder:
        data_path = Path(folder) / DATA_FILE
        with consistent_read():
            call_command(
                "dumpdata",
                *labels,
                format="xml",
                natural_foreign=True,
                use_base_manager=True,
                output=str(data_path),
                verbosity=0,
            )
        if not personal_data:
            _without_personal_data(data_path)
        for _event, element in iterparse(data_path):
            # Many-to-many values are <object> elements too, without a model.
            if element.tag == "object" and element.get("model"):
                report.counts[element.get("model")] += 1
                element.clear()
        partial = None
        try:
            # mkstemp creates the file with mode 0600.
            descriptor, partial = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".part"
            )
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                files = {DATA_FILE: {"size": data_path.stat().st_size, "sha256": _file_digest(data_path)}}
                archive.add(data_path, arcname=DATA_FILE)
                for name in media_files():
                    with default_storage.open(name, "rb") as stream:
                        content = stream.read()
                    problem = media_problem(BytesIO(content), len(content))
                    if problem:
                        report.skipped.append((name, problem))
                        continue
                    _add_bytes(archive, MEDIA_PREFIX + name, content)
                    files[MEDIA_PREFIX + name] = {
                        "size": len(content),
                        "sha256": hashlib.sha256(content).hexdigest(),
                    }
                    report.media_files += 1
                    report.media_bytes += len(content)
                manifest = {
                    "format": ARCHIVE_FORMAT,
                    "created_at": timezone.now().isoformat(),
                    "django": django.get_version(),
                    "models": labels,
                    "counts": dict(report.counts),
                    "personal_data": personal_data,
                    "files": files,
                }
                manifest_bytes = json.dumps(manifest, indent=2).encode()
                _add_bytes(archive, MANIFEST, manifest_bytes)
                if settings.BACKUP_SIGNING_KEY:
                    _add_bytes(archive, SIGNATURE, _signature(manifest_bytes).encode())
            os.chmod(partial, 0o600)
            os.replace(partial, target)
        except OSError as error:
            if partial and os.path.exists(partial):
                os.remove(partial)
            raise BackupError(_("Cannot write %(file)s: %(error)s") % {"file": path, "error": error})
    return report


def _add_bytes(archive, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, BytesIO(content))


def site_is_empty(labels) -> bool:
    for label in labels:
        if label in ALWAYS_PRESENT:
            continue
        rows = apps.get_model(label)._base_manager.all()
        if label == "flatpages.flatpage":
            rows = rows.exclude(url=POLICY_URL)  # the page privacy's migration creates on every site
        if rows.exists():
            return False
    return True


def flush(labels):
    """Empty the tables of ``labels`` (and the admin's log, which points at them), in the
    current transaction."""
    tables = set()
    for label in [*labels, "admin.logentry"]:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        tables.add(model._meta.db_table)
        for many in model._meta.local_many_to_many:
            if many.remote_field.through._meta.auto_created:
                tables.add(many.remote_field.through._meta.db_table)
    statements = connection.ops.sql_flush(no_style(), sorted(tables), allow_cascade=True)
    if connection.vendor == "postgresql":
        # PostgreSQL refuses to TRUNCATE a table with deferred checks still pending
        # in the transaction: run them now, then defer again for the load.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        connection.ops.execute_sql_flush(statements)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        connection.ops.execute_sql_flush(statements)


# Reading and checking an archive
# ------------------------------------------------------------------------------
@dataclass
class CheckedArchive:
    manifest: dict
    data_path: Path
    # (name in the storage, path of the checked copy, size)
    media: list


def _safe_members(members):
    """The archive's files by name, refusing anything that could write outside the media storage."""
    found = {}
    for member in members:
        name = member.name
        parts = PurePosixPath(name).parts
        if name.startswith("/") or ".." in parts or "\\" in name or "\0" in name:
            raise BackupError(_("The archive contains an unsafe path: %s") % name)
        if member.isdir():
            continue
        if not member.isfile():
            raise BackupError(_("The archive contains something that is not a file: %s") % name)
        if name in found:
            raise BackupError(_("The archive contains %s twice.") % name)
        found[name] = member
    if MANIFEST not in found or DATA_FILE not in found:
        raise BackupError(_("The file is not a backup made by this site (no manifest.json or data.xml)."))
    for name in found:
        if name not in (MANIFEST, SIGNATURE, DATA_FILE) and not (
            name.startswith(MEDIA_PREFIX) and len(name) > len(MEDIA_PREFIX)
        ):
            raise BackupError(_("The archive contains an unexpected file: %s") % name)
    return found


def _check_sizes(members):
    total = sum(member.size for member in members.values())
    if total > settings.BACKUP_RESTORE_MAX_SIZE:
        raise BackupError(
            _("The archive is too large: %(size)s once unpacked, above BACKUP_RESTORE_MAX_SIZE (%(limit)s).")
            % {"size": filesizeformat(total), "limit": filesizeformat(settings.BACKUP_RESTORE_MAX_SIZE)}
        )
    if members[MANIFEST].size > MANIFEST_MAX_SIZE:
        raise BackupError(_("The archive's manifest is too large."))
    for name, member in members.items():
        if name.startswith(MEDIA_PREFIX) and member.size > settings.BACKUP_RESTORE_MAX_FILE_SIZE:
            raise BackupError(
                _(
                    "The media file %(name)s is too large (%(size)s; "
                    "BACKUP_RESTORE_MAX_FILE_SIZE is %(limit)s)."
                )
                % {
                    "name": name,
                    "size": filesizeformat(member.size),
                    "limit": filesizeformat(settings.BACKUP_RESTORE_MAX_FILE_SIZE),
                }
            )


def _read_manifest(archive, members):
    content = archive.extractfile(members[MANIFEST]).read()
    if settings.BACKUP_SIGNING_KEY:
        if SIGNATURE not in members:
            raise BackupError(_("The archive is not signed, and BACKUP_SIGNING_KEY is set: it is refused."))
        signature = archive.extractfile(members[SIGNATURE]).read(200).strip().decode("ascii", "replace")
        if not hmac.compare_digest(signature, _signature(content)):
            raise BackupError(
                _(
                    "The archive's signature is wrong: it was changed, or signed with another "
                    "BACKUP_SIGNING_KEY."
                )
            )
    try:
        manifest = json.loads(content)
    except ValueError as error:
        raise BackupError(_("The archive's manifest is unreadable: %s") % error)
    if not isinstance(manifest, dict):
        raise BackupError(_("The archive's manifest is unreadable: it is not a JSON object."))
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError(
            _("Unsupported backup format: %s (this site restores backups with checksums, format 2).")
            % manifest.get("format")
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(entry, dict)
        and isinstance(entry.get("size"), int)
        and isinstance(entry.get("sha256"), str)
        for entry in files.values()
    ):
        raise BackupError(_("The archive's manifest is unreadable: its list of files is not valid."))
    return manifest


def _copy_checked(archive, member, entry, target):
    """Copy a member to ``target``, and check its size and checksum against the manifest."""
    if member.size != entry["size"]:
        raise BackupError(
            _("The checksum of %s does not match the manifest (its size differs).") % member.name
        )
    digest = hashlib.sha256()
    with archive.extractfile(member) as source, open(target, "wb") as copy:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            copy.write(chunk)
    if not hmac.compare_digest(digest.hexdigest(), entry["sha256"]):
        raise BackupError(
            _("The checksum of %s does not match the manifest: the file was changed.") % member.name
        )


def _check_compressed_stream(path):
    """A gzip stream cut short can still list every member: read it to its end first."""
    try:
        with open(path, "rb") as raw:
            compressed = raw.read(2) == b"\x1f\x8b"
        if compressed:
            with gzip.open(path, "rb") as stream:
                while stream.read(CHUNK):
                    pass
    except FileNotFoundError as error:
        raise BackupError(_("The file is not a backup archive: %s") % error)
    except READ_ERRORS as error:
        raise BackupError(_("The archive is damaged or truncated: %s") % error)


def check_archive(path, folder: Path) -> CheckedArchive:
    """Every check that needs only the archive; checked copies of its files go to ``folder``."""
    _check_compressed_stream(path)
    try:
        archive = tarfile.open(path, "r:*")  # noqa: SIM115 (closed by the with block below)
    except READ_ERRORS as error:
        raise BackupError(_("The file is not a backup archive: %s") % error)
    with archive:
        try:
            members = _safe_members(archive.getmembers())
            _check_sizes(members)
            manifest = _read_manifest(archive, members)
            present = set(members) - {MANIFEST, SIGNATURE}
            listed = set(manifest["files"])
            if present - listed:
                raise BackupError(
                    _("The archive contains %s, which is not listed in its manifest.")
                    % ", ".join(sorted(present - listed))
                )
            if listed - present:
                raise BackupError(
                    _("The archive is missing %s, listed in its manifest.")
                    % ", ".join(sorted(listed - present))
                )
            data_path = folder / DATA_FILE
            _copy_checked(archive, members[DATA_FILE], manifest["files"][DATA_FILE], data_path)
            media = []
            for index, name in enumerate(sorted(name for name in present if name.startswith(MEDIA_PREFIX))):
                copy = folder / f"media-{index}"
                _copy_checked(archive, members[name], manifest["files"][name], copy)
                with open(copy, "rb") as stream:
                    problem = media_problem(stream, members[name].size)
                if problem:
                    raise BackupError(
                        _("The media file %(name)s is refused: %(why)s.") % {"name": name, "why": problem}
                    )
                media.append((name[len(MEDIA_PREFIX) :], copy, members[name].size))
        except READ_ERRORS as error:
            raise BackupError(_("The archive is damaged or truncated: %s") % error)
    return CheckedArchive(manifest=manifest, data_path=data_path, media=media)


def _existing_usernames():
    user_model = get_user_model()
    return set(user_model._base_manager.values_list(user_model.USERNAME_FIELD, flat=True))


def _map_user_reference(model, element, usernames, missing):
    """Point a reference to an account at this site's account of the same username, or empty it."""
    try:
        nullable = apps.get_model(model)._meta.get_field(element.get("name")).null
    except (LookupError, FieldDoesNotExist):
        raise BackupError(_("The backup's data refers to an unknown field: %s") % element.get("name"))
    if element.get("rel") == "ManyToManyRel":
        for item in list(element):
            natural = item.find("natural")
            if natural is None or natural.text not in usernames:
                element.remove(item)
        return
    if element.find("None") is not None:
        return
    natural = element.find("natural")
    if natural is not None and natural.text in usernames:
        return
    if nullable:
        _set_field(element, None)
    else:
        missing.add(natural.text if natural is not None else f"#{(element.text or '').strip()}")


def prepare_data(data_path, *, include_users) -> Path:
    """The data to load: only models a backup holds; without ``include_users``, no account."""
    allowed = set(backup_models())
    user_label = get_user_model()._meta.label_lower
    try:
        tree = parse_xml(data_path)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise BackupError(_("The backup's data is not valid XML: %s") % error)
    root = tree.getroot()
    if root.tag != "django-objects":
        raise BackupError(_("The backup's data is not a Django dump."))
    usernames = None if include_users else _existing_usernames()
    missing = set()
    for obj in list(root):
        model = obj.get("model")
        if obj.tag != "object" or model not in allowed:
            raise BackupError(_("The backup's data holds rows of %s, which a backup never holds.") % model)
        if usernames is None:
            continue
        if model == user_label:
            root.remove(obj)
            continue
        for element in obj.findall("field"):
            if element.get("to") == user_label:
                _map_user_reference(model, element, usernames, missing)
    if missing:
        raise BackupError(
            _(
                "These accounts of the backup are not on this site: %s. Create them first, "
                "or restore with --include-users."
            )
            % ", ".join(sorted(missing))
        )
    prepared = data_path.with_name("prepared.xml")
    tree.write(prepared, encoding="utf-8", xml_declaration=True)
    return prepared


def _sanitise_restored_html():
    """Restored rows are loaded raw, without save(): sanitise their HTML as save() would."""
    for model, name in HTML_FIELDS:
        for pk, html in model._base_manager.values_list("pk", name).iterator():
            clean = sanitize_html(html)
            if clean != html:
                model._base_manager.filter(pk=pk).update(**{name: clean})
    # The shown bodies are made again from the sanitised ones, never taken from the archive.
    article_bodies_refresh(articles=Article._base_manager.all())


def site_restore(*, path, force=False, dry_run=False, include_users=False) -> BackupReport:
    """Restore an archive made by ``site_backup`` onto an empty site (see the module's docstring).

    The tables the backup covers are emptied first (in the same transaction):
    on an empty site that only removes what migrations created, which the
    backup holds too; with ``force``, it replaces the current content. Accounts
    are kept, and not restored, without ``include_users``. With ``dry_run``,
    everything is checked and loaded, then rolled back, and no media file is
    written.
    """
    report = BackupReport()
    written = []
    with tempfile.TemporaryDirectory() as folder:
        checked = check_archive(path, Path(folder))
        data_path = prepare_data(checked.data_path, include_users=include_users)
        user_label = get_user_model()._meta.label_lower
        labels = [label for label in backup_models() if include_users or label != user_label]
        try:
            with transaction.atomic():
                if not force and not site_is_empty(labels):
                    raise BackupError(
                        _(
                            "The site is not empty: restore onto an empty site, or use --force to "
                            "replace its content."
                        )
                    )
                flush(labels)
                call_command("loaddata", str(data_path), verbosity=0)
                _sanitise_restored_html()
                # Every cached page and fragment shows the former site.
                purge_all()
                counts = checked.manifest.get("counts", {})
                if isinstance(counts, dict):
                    report.counts.update({k: v for k, v in counts.items() if isinstance(v, int)})
                if not include_users:
                    report.counts.pop(user_label, None)
                for target, copy, size in checked.media:
                    report.media_files += 1
                    report.media_bytes += size
                    if dry_run:
                        continue
                    if default_storage.exists(target):
                        default_storage.delete(target)
                    with open(copy, "rb") as stream:
                        written.append(default_storage.save(target, File(stream, name=target)))
                if dry_run:
                    transaction.set_rollback(True)
        except (DeserializationError, IntegrityError, DatabaseError, ValueError) as error:
            for name in written:
                default_storage.delete(name)
            raise BackupError(_("The backup could not be restored: %s") % error)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
    Site.objects.clear_cache()
    return report
