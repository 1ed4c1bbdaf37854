"""Backing up and restoring the whole site: database content and media files.

A backup is a ``.tar.gz`` archive holding:

- ``manifest.json``: format version, date, Django version, counts;
- ``data.xml``: every model's rows (``dumpdata`` with natural foreign keys, so
  content types and permissions are matched by name, not by id), except what
  ``migrate`` recreates or what has no value in a backup (content types,
  permissions, sessions, the admin's log). XML rather than JSON because
  Django's JSON encoder cuts times to the millisecond, and a restore must give
  back exactly what was saved;
- ``media/…``: every file of the default storage.

The database is read in one transaction (repeatable read on PostgreSQL), so the
dump is consistent even while the site is being used. A restore goes onto an
empty, migrated site, in one transaction: if anything fails, the database is
left as it was and the media files already written are removed.
"""

import json
import tarfile
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path, PurePosixPath

import django
from defusedxml.ElementTree import iterparse
from django.apps import apps
from django.contrib.sites.models import Site
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blog.models import Article
from blog.services import article_bodies_refresh
from caching.invalidation import purge_all

ARCHIVE_FORMAT = 1
# Recreated by migrate, or of no use in a backup.
EXCLUDED = ("contenttypes", "auth.permission", "sessions", "admin.logentry")
# Rows that migrations create on every site (the site itself, the editorial
# roles): they do not make a site "non-empty", and the backup's copy replaces them.
ALWAYS_PRESENT = ("sites.site", "auth.group")
MEDIA_PREFIX = "media/"
DATA_FILE = "data.xml"


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why."""


@dataclass
class BackupReport:
    counts: Counter = field(default_factory=Counter)
    media_files: int = 0
    media_bytes: int = 0


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


def site_backup(*, path, exclude=()) -> BackupReport:
    """Write the archive described in the module's docstring to ``path``."""
    report = BackupReport()
    labels = backup_models(exclude)
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
        for _event, element in iterparse(data_path):
            # Many-to-many values are <object> elements too, without a model.
            if element.tag == "object" and element.get("model"):
                report.counts[element.get("model")] += 1
                element.clear()
        try:
            with tarfile.open(path, "w:gz") as archive:
                manifest = {
                    "format": ARCHIVE_FORMAT,
                    "created_at": timezone.now().isoformat(),
                    "django": django.get_version(),
                    "models": labels,
                    "counts": dict(report.counts),
                }
                _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
                archive.add(data_path, arcname=DATA_FILE)
                for name in media_files():
                    with default_storage.open(name, "rb") as stream:
                        content = stream.read()
                    _add_bytes(archive, MEDIA_PREFIX + name, content)
                    report.media_files += 1
                    report.media_bytes += len(content)
        except OSError as error:
            raise BackupError(_("Cannot write %(file)s: %(error)s") % {"file": path, "error": error})
    return report


def _add_bytes(archive, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o644
    archive.addfile(info, BytesIO(content))


def site_is_empty(labels) -> bool:
    for label in labels:
        if label in ALWAYS_PRESENT:
            continue
        if apps.get_model(label)._base_manager.exists():
            return False
    return True


def _flush(labels):
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


def _safe_members(archive):
    """The archive's members, refusing anything that could write outside the media storage."""
    members = {}
    for member in archive.getmembers():
        name = member.name
        parts = PurePosixPath(name).parts
        if name.startswith("/") or ".." in parts or "\\" in name:
            raise BackupError(_("The archive contains an unsafe path: %s") % name)
        if member.isdir():
            continue
        if not member.isfile():
            raise BackupError(_("The archive contains something that is not a file: %s") % name)
        members[name] = member
    if "manifest.json" not in members or DATA_FILE not in members:
        raise BackupError(_("The file is not a backup made by this site (no manifest.json or data.xml)."))
    return members


def site_restore(*, path, force=False, dry_run=False) -> BackupReport:
    """Restore an archive made by ``site_backup`` onto an empty site.

    The tables the backup covers are emptied first (in the same transaction):
    on an empty site that only removes what migrations created, which the
    backup holds too; with ``force``, it replaces the current content. With
    ``dry_run``, everything is checked and loaded, then rolled back, and no
    media file is written.
    """
    report = BackupReport()
    written = []
    try:
        archive = tarfile.open(path, "r:*")  # noqa: SIM115 (closed by the with block below)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(_("The file is not a backup archive: %s") % error)
    with archive, tempfile.TemporaryDirectory() as folder:
        members = _safe_members(archive)
        try:
            manifest = json.load(archive.extractfile(members["manifest.json"]))
        except (ValueError, tarfile.TarError) as error:
            raise BackupError(_("The archive's manifest is unreadable: %s") % error)
        if manifest.get("format") != ARCHIVE_FORMAT:
            raise BackupError(_("Unsupported backup format: %s") % manifest.get("format"))
        data_path = Path(folder) / DATA_FILE
        data_path.write_bytes(archive.extractfile(members[DATA_FILE]).read())
        labels = backup_models()
        try:
            with transaction.atomic():
                if not force and not site_is_empty(labels):
                    raise BackupError(
                        _(
                            "The site is not empty: restore onto an empty site, or use --force to "
                            "replace its content."
                        )
                    )
                _flush(labels)
                call_command("loaddata", str(data_path), verbosity=0)
                # loaddata does not call save(): a backup made before articles kept
                # their shown body has none.
                article_bodies_refresh(articles=Article.objects.filter(body_html="").exclude(body=""))
                # Every cached page and fragment shows the former site.
                purge_all()
                report.counts.update(manifest.get("counts", {}))
                for name, member in members.items():
                    if not name.startswith(MEDIA_PREFIX):
                        continue
                    target = name[len(MEDIA_PREFIX) :]
                    report.media_files += 1
                    report.media_bytes += member.size
                    if dry_run:
                        continue
                    if default_storage.exists(target):
                        default_storage.delete(target)
                    written.append(
                        default_storage.save(target, File(archive.extractfile(member), name=target))
                    )
                if dry_run:
                    transaction.set_rollback(True)
        except (DeserializationError, IntegrityError, DatabaseError, ValueError, tarfile.TarError) as error:
            for name in written:
                default_storage.delete(name)
            raise BackupError(_("The backup could not be restored: %s") % error)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
    Site.objects.clear_cache()
    return report
