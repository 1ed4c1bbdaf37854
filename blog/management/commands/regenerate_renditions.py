"""Rebuild the renditions of every featured image and every media library image.

Run it after changing BLOG_RENDITION_WIDTHS or the rendition formats, after
moving the media files to another storage, or to repair missing files. Files
of sizes no longer configured are deleted. Only files are written, never the
database, so there is no transaction: an image that fails is reported and the
others are still processed.
"""

from django.core.management.base import BaseCommand, CommandError

from blog import images
from blog.models import Article, MediaImage


class Command(BaseCommand):
    help = (
        "Rebuild the renditions (resized WebP and JPEG/PNG copies) of every featured image "
        "and every media library image."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be written and deleted, without touching any file.",
        )
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only make renditions that do not exist yet; keep existing ones as they are.",
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

    def handle(self, *args, dry_run=False, missing_only=False, **options):
        total = Article.objects.exclude(featured_image="").count() + MediaImage.objects.count()
        if total == 0:
            self.stdout.write("No featured image and no library image: nothing to do.")
            return
        written = pruned = 0
        failures = []
        for position, (label, image, width, height) in enumerate(self.sources(), start=1):
            try:
                if not width or not height:
                    raise ValueError("unknown dimensions")
                if dry_run:
                    made, removed = self._plan(image, width, height, missing_only=missing_only)
                else:
                    made = images.renditions_generate(
                        image_file=image, width=width, height=height, force=not missing_only
                    )
                    removed = images.renditions_prune(image_file=image, width=width, height=height)
            except Exception as error:  # noqa: BLE001  (one broken file must not stop the others)
                failures.append(f"{image.name}: {error}")
                self.stderr.write(f"[{position}/{total}] {label}: {error}")
                continue
            written += made
            pruned += removed
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"[{position}/{total}] {label}: "
                    f"{made} rendition(s) {'to write' if dry_run else 'written'}, "
                    f"{removed} old file(s) {'to delete' if dry_run else 'deleted'}"
                )
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} image(s): {written} rendition(s) {verb} written, "
                f"{pruned} old file(s) {verb} deleted."
            )
        )
        if failures:
            raise CommandError(f"{len(failures)} image(s) could not be processed:\n" + "\n".join(failures))

    def _plan(self, image, width, height, *, missing_only):
        """What a real run would do for ``image``, found without writing anything."""
        storage = image.storage
        names = {cache_file.name for cache_file, _w, _h in images.rendition_files(image, width, height)}
        made = sum(1 for name in names if not (missing_only and storage.exists(name)))
        directory = images.rendition_directory(image.name)
        existing = images.stored_files(storage, directory)
        removed = sum(1 for name in existing if f"{directory}/{name}" not in names)
        return made, removed
