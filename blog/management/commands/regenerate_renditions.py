"""Rebuild the renditions of every featured image and every media library image.

Run it after changing BLOG_RENDITION_WIDTHS or the rendition formats, after
moving the media files to another storage, or to repair missing files. Files
of sizes no longer configured are deleted. Files are not transactional, so
images are processed one by one: an image that fails is reported and the
others are still processed. Then the articles' shown bodies, which name the
renditions of their images, are brought up to date, in one transaction.

With ``--background`` the same rebuild is left to the worker (the task
``regenerate_renditions_task`` below runs this command), so a long rebuild
holds no terminal or deployment step.
"""

import io

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from blog.models import Article
from blog.services import article_bodies_refresh, article_bodies_stale
from medialib import images
from medialib.models import MediaImage

try:  # Django 6.0 brings the Tasks API; django-tasks is its backport for 5.2.
    from django.tasks import task
except ImportError:
    from django_tasks import task


@task()
def regenerate_renditions_task(*, missing_only: bool = False) -> str:
    """The command, run by the worker; its summary is the task's result (a failure, its error)."""
    output = io.StringIO()
    call_command("regenerate_renditions", missing_only=missing_only, verbosity=0, stdout=output)
    return output.getvalue()


class Command(BaseCommand):
    help = _(
        "Rebuild the renditions (resized WebP and JPEG/PNG copies) of every featured image "
        "and every media library image."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("List what would be written and deleted, without touching any file."),
        )
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help=gettext_lazy("Only make renditions that do not exist yet; keep existing ones as they are."),
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help=gettext_lazy("Leave the rebuild to the background worker and return at once."),
        )

    def sources(self):
        """(label, image file, width, height) of every stored image, featured images first."""
        articles = (
            Article.objects.exclude(featured_image="")
            .only("title", "featured_image", "featured_image_width", "featured_image_height")
            .order_by("pk")
        )
        for article in articles.iterator(chunk_size=200):
            yield (
                article.title,
                article.featured_image,
                article.featured_image_width,
                article.featured_image_height,
            )
        library = MediaImage.objects.only("file", "width", "height").order_by("pk")
        for image in library.iterator(chunk_size=200):
            yield image.file.name, image.file, image.width, image.height

    def handle(self, *args, dry_run=False, missing_only=False, background=False, **options):
        if background and self._enqueue(missing_only=missing_only, dry_run=dry_run):
            return
        total = Article.objects.exclude(featured_image="").count() + MediaImage.objects.count()
        if total == 0:
            self.stdout.write(_("No featured image and no library image: nothing to do."))
            return
        written = pruned = 0
        failures = []
        for position, (label, image, width, height) in enumerate(self.sources(), start=1):
            try:
                if not width or not height:
                    raise ValueError(_("unknown dimensions"))
                if dry_run:
                    made, removed = self._plan(image, width, height, missing_only=missing_only)
                else:
                    made = images.renditions_generate(
                        image_file=image, width=width, height=height, force=not missing_only
                    )
                    removed = images.renditions_prune(image_file=image, width=width, height=height)
            except Exception as error:  # noqa: BLE001  (one broken file must not stop the others)
                failures.append(_("%(name)s: %(error)s") % {"name": image.name, "error": error})
                problem = _("%(name)s: %(error)s") % {"name": label, "error": error}
                self.stderr.write(f"[{position}/{total}] {problem}")
                continue
            written += made
            pruned += removed
            if options["verbosity"] >= 1:
                self.stdout.write(f"[{position}/{total}] {self._image_line(label, made, removed, dry_run)}")
        self.stdout.write(self.style.SUCCESS(self._summary(total, written, pruned, dry_run)))
        self.stdout.write(self.style.SUCCESS(self._refresh_bodies(dry_run)))
        if failures:
            message = ngettext(
                "%(count)d image could not be processed:",
                "%(count)d images could not be processed:",
                len(failures),
            ) % {"count": len(failures)}
            raise CommandError("\n".join([message, *failures]))

    def _enqueue(self, *, missing_only, dry_run) -> bool:
        """Queue the rebuild for the worker; without one (immediate backend), say so and return False."""
        if dry_run:
            raise CommandError(_("--background and --dry-run cannot be used together."))
        if not regenerate_renditions_task.get_backend().supports_defer:
            self.stdout.write(_("No background worker is configured: the renditions are rebuilt now."))
            return False
        result = regenerate_renditions_task.enqueue(missing_only=missing_only)
        message = _("The rebuild is queued: the worker will do it (task %(id)s in the admin's Task results).")
        self.stdout.write(self.style.SUCCESS(message % {"id": result.id}))
        return True

    @staticmethod
    def _image_line(label, made, removed, dry_run):
        """``label: N renditions written, M old files deleted`` (or "to write", "to delete")."""
        if dry_run:
            renditions = ngettext("%(count)d rendition to write", "%(count)d renditions to write", made)
            old_files = ngettext("%(count)d old file to delete", "%(count)d old files to delete", removed)
        else:
            renditions = ngettext("%(count)d rendition written", "%(count)d renditions written", made)
            old_files = ngettext("%(count)d old file deleted", "%(count)d old files deleted", removed)
        return _("%(image)s: %(renditions)s, %(old_files)s") % {
            "image": label,
            "renditions": renditions % {"count": made},
            "old_files": old_files % {"count": removed},
        }

    @staticmethod
    def _summary(total, written, pruned, dry_run):
        """One line for the whole run; each clause agrees with its own count."""
        images_count = ngettext("%(count)d image", "%(count)d images", total) % {"count": total}
        if dry_run:
            renditions = ngettext(
                "%(count)d rendition would be written", "%(count)d renditions would be written", written
            )
            old_files = ngettext(
                "%(count)d old file would be deleted", "%(count)d old files would be deleted", pruned
            )
        else:
            renditions = ngettext(
                "%(count)d rendition was written", "%(count)d renditions were written", written
            )
            old_files = ngettext("%(count)d old file was deleted", "%(count)d old files were deleted", pruned)
        return _("%(images)s: %(renditions)s, %(old_files)s.") % {
            "images": images_count,
            "renditions": renditions % {"count": written},
            "old_files": old_files % {"count": pruned},
        }

    @staticmethod
    def _refresh_bodies(dry_run):
        """Bring the articles' shown bodies up to date; one line saying how many changed."""
        if dry_run:
            count = len(article_bodies_stale(articles=Article.objects.all()))
            message = ngettext(
                "%(count)d article text would be updated.", "%(count)d article texts would be updated.", count
            )
        else:
            count = len(article_bodies_refresh(articles=Article.objects.all()))
            message = ngettext(
                "%(count)d article text was updated.", "%(count)d article texts were updated.", count
            )
        return message % {"count": count}

    def _plan(self, image, width, height, *, missing_only):
        """What a real run would do for ``image``, found without writing anything."""
        storage = image.storage
        names = {cache_file.name for cache_file, _w, _h in images.rendition_files(image, width, height)}
        made = sum(1 for name in names if not (missing_only and storage.exists(name)))
        directory = images.rendition_directory(image.name)
        existing = images.stored_files(storage, directory)
        removed = sum(1 for name in existing if f"{directory}/{name}" not in names)
        return made, removed
