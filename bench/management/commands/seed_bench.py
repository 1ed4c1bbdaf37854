"""Fill a database of its own with a large blog, for the benchmark (bench/run.py).

Rows are written with bulk inserts in batches, so 100,000 articles and a million
comments load in minutes. Two articles have fixed addresses and a known number of
comments: ``bench-500-comments`` (500) and ``bench-20-comments`` (20); keyword
``bench-tag-0`` is on a fifth of the articles and category ``bench-category-0``
holds a twentieth of them. Every other number is spread evenly, so a run is the
same on every machine.
"""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django_comments import get_model as get_comment_model
from django_comments.models import Comment, CommentFlag
from taggit.models import Tag, TaggedItem

from blog.models import Article, AuthorProfile, Category, FurtherReading
from caching.invalidation import purge_all
from medialib.rendering import responsive_body

AUTHORS = 10
CATEGORIES = 20
TAGS = 200
TAGS_PER_ARTICLE = 3
BIG_THREAD = 500
SMALL_THREAD = 20
PARAGRAPH = (
    "<p>Les réseaux sociaux ont changé la manière dont les marques parlent à leur public. "
    "Cet article analyse les tendances, les chiffres et les stratégies qui fonctionnent, "
    "avec des exemples concrets et des conseils pour les équipes de communication.</p>\n"
)


class Command(BaseCommand):
    help = "Fill the database with a large generated blog for the benchmark (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100, help="Number of articles (default 100).")
        parser.add_argument("--comments", type=int, default=1000, help="Number of comments (default 1000).")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Delete every article, comment, category and keyword first (a benchmark database only).",
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows per insert (default 5000).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be created, write nothing."
        )

    def handle(self, *args, articles, comments, clear, batch_size, dry_run, **options):
        minimum = BIG_THREAD + SMALL_THREAD
        if articles < 3:
            raise CommandError("--articles must be at least 3.")
        if comments < minimum:
            raise CommandError(f"--comments must be at least {minimum} (the two reference threads).")
        if batch_size < 1:
            raise CommandError("--batch-size must be positive.")
        if not clear and Article.objects.exists():
            raise CommandError("The database already has articles: use --clear (it deletes them all).")
        if dry_run:
            self.stdout.write(
                f"Would create {articles} articles, {comments} comments, {CATEGORIES} categories, "
                f"{TAGS} keywords and {AUTHORS} authors."
            )
            return
        self.batch_size = batch_size
        self.verbosity = options["verbosity"]
        started = timezone.now()
        with transaction.atomic():
            if clear:
                self.clear()
            authors = self.create_authors()
            categories = self.create_categories()
            tags = self.create_tags()
            article_ids = self.create_articles(articles, authors, categories)
            self.tag_articles(article_ids, tags)
            self.create_comments(article_ids, comments)
        self.analyze()
        purge_all()
        elapsed = (timezone.now() - started).total_seconds()
        self.stdout.write(
            self.style.SUCCESS(f"{articles} articles and {comments} comments created in {elapsed:.0f} s.")
        )

    def log(self, message):
        if self.verbosity >= 2:
            self.stdout.write(message)

    def clear(self):
        """Delete in bulk, with plain DELETEs: the ORM would load a million comments first."""
        comment_model = get_comment_model()
        tables = [
            CommentFlag._meta.db_table,
            comment_model._meta.db_table,
            Comment._meta.db_table,
            TaggedItem._meta.db_table,
            FurtherReading._meta.db_table,
            Article._meta.db_table,
            Tag._meta.db_table,
            Category._meta.db_table,
        ]
        with connection.cursor() as cursor:
            for table in dict.fromkeys(tables):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        self.log("Previous content deleted.")

    def create_authors(self):
        user_model = get_user_model()
        authors = []
        for number in range(AUTHORS):
            user, _ = user_model.objects.get_or_create(
                username=f"bench-author-{number}",
                defaults={"first_name": "Auteur", "last_name": f"Numéro {number}"},
            )
            AuthorProfile.objects.get_or_create(
                user=user, defaults={"display_name": f"Auteur numéro {number}", "bio": "Rédactrice."}
            )
            authors.append(user.pk)
        return authors

    def create_categories(self):
        tops = Category.objects.bulk_create(
            Category(name=f"Catégorie {number}", slug=f"bench-category-{number}") for number in range(5)
        )
        children = Category.objects.bulk_create(
            Category(name=f"Catégorie {number}", slug=f"bench-category-{number}", parent=tops[number % 5])
            for number in range(5, CATEGORIES)
        )
        return [category.pk for category in tops + children]

    def create_tags(self):
        tags = Tag.objects.bulk_create(
            Tag(name=f"Mot-clé {number}", slug=f"bench-tag-{number}") for number in range(TAGS)
        )
        return [tag.pk for tag in tags]

    def create_articles(self, count, authors, categories):
        """Articles from now back in time; the first three are featured, 1 in 20 is a draft."""
        now = timezone.now()
        span = datetime.timedelta(days=min(count, 3650))
        step = span / count
        body = PARAGRAPH * 12
        # bulk_create does not call save(), which makes the shown body.
        body_html = responsive_body(body)
        ids = []
        rows = []
        for index in range(count):
            published_at = now - step * (index + 1)
            if index == 1:
                slug = f"bench-{BIG_THREAD}-comments"
            elif index == 2:
                slug = f"bench-{SMALL_THREAD}-comments"
            else:
                slug = f"bench-article-{index}"
            draft = index > 2 and index % 20 == 7
            rows.append(
                Article(
                    title=f"Article de test numéro {index} : stratégies et tendances",
                    slug=slug,
                    author_id=authors[index % len(authors)],
                    category_id=categories[index % len(categories)],
                    excerpt="Un résumé de l'article, en une ou deux phrases pour la liste.",
                    body=body,
                    body_html=body_html,
                    status=Article.Status.DRAFT if draft else Article.Status.PUBLISHED,
                    published_at=published_at,
                    publication_date=timezone.localdate(published_at),
                    featured=index < 3 and index not in (1, 2),
                )
            )
            if len(rows) == self.batch_size:
                ids.extend(article.pk for article in Article.objects.bulk_create(rows))
                rows = []
                self.log(f"{len(ids)} articles")
        ids.extend(article.pk for article in Article.objects.bulk_create(rows))
        return ids

    def tag_articles(self, article_ids, tags):
        """Three keywords per article; the first keyword is on every fifth article."""
        content_type = ContentType.objects.get_for_model(Article)
        rows = []
        for index, article_id in enumerate(article_ids):
            chosen = {tags[(index * 7 + offset * 31) % len(tags)] for offset in range(TAGS_PER_ARTICLE)}
            if index % 5 == 0:
                chosen.add(tags[0])
            rows.extend(
                TaggedItem(tag_id=tag_id, content_type=content_type, object_id=article_id)
                for tag_id in chosen
            )
            if len(rows) >= self.batch_size:
                TaggedItem.objects.bulk_create(rows)
                rows = []
        TaggedItem.objects.bulk_create(rows)

    def comment_plan(self, article_ids, total):
        """(article id, comments) pairs: the two reference threads, the rest spread evenly."""
        published = list(
            Article.objects.published()
            .exclude(pk__in=article_ids[1:3])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        yield article_ids[1], BIG_THREAD
        yield article_ids[2], SMALL_THREAD
        rest = total - BIG_THREAD - SMALL_THREAD
        if not published or not rest:
            return
        share, extra = divmod(rest, len(published))
        for position, article_id in enumerate(published):
            count = share + (1 if position < extra else 0)
            if count:
                yield article_id, count

    def create_comments(self, article_ids, total):
        """Threads of one comment and up to three replies; 1 in 50 awaits moderation.

        django-comments-xtd keeps each comment in two tables (a model that
        inherits django-comments' one), which bulk_create cannot fill: the base
        rows are inserted by the ORM, which gives back their ids, and the thread
        rows (thread, parent, level, order) by an INSERT of our own.
        """
        comment_model = get_comment_model()
        content_type = ContentType.objects.get_for_model(Article)
        site_id = Site.objects.get_current().pk
        start = timezone.now() - datetime.timedelta(days=1)
        quote = connection.ops.quote_name
        child_columns = [
            "comment_ptr_id",
            "thread_id",
            "parent_id",
            "level",
            "order",
            "followup",
            "nested_count",
        ]
        insert_child = (
            f"INSERT INTO {quote(comment_model._meta.db_table)} "
            f"({', '.join(quote(column) for column in child_columns)}) "
            f"VALUES ({', '.join(['%s'] * len(child_columns))})"
        )
        pending = []  # (Comment, article id, position in its thread, size of its thread)
        done = 0
        counter = itertools.count()

        def flush():
            nonlocal done
            created = Comment.objects.bulk_create([comment for comment, *_ in pending])
            rows, thread_id = [], None
            for comment, (_, _, position, size) in zip(created, pending, strict=True):
                if position == 0:
                    thread_id = comment.pk
                    rows.append((comment.pk, comment.pk, comment.pk, 0, 1, False, size - 1))
                else:
                    rows.append((comment.pk, thread_id, thread_id, 1, position + 1, False, 0))
            with connection.cursor() as cursor:
                cursor.executemany(insert_child, rows)
            done += len(rows)
            pending.clear()
            self.log(f"{done} comments")

        for article_id, count in self.comment_plan(article_ids, total):
            remaining = count
            while remaining:
                size = min(1 + next(counter) % 4, remaining)
                for position in range(size):
                    number = len(pending) + done
                    comment = Comment(
                        content_type=content_type,
                        object_pk=str(article_id),
                        site_id=site_id,
                        user_name=f"Lectrice {number % 997}",
                        user_email=f"lectrice{number % 997}@example.org",
                        comment="Merci pour cet article très clair ; j'aurais aimé un exemple de plus.",
                        submit_date=start + datetime.timedelta(seconds=number % 86_000),
                        is_public=number % 50 != 49,
                    )
                    pending.append((comment, article_id, position, size))
                remaining -= size
                # A thread never spans two batches: its replies need its first comment's id.
                if len(pending) >= self.batch_size:
                    flush()
        if pending:
            flush()

    def analyze(self):
        """Fresh statistics, or the query planner guesses from an empty table."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
