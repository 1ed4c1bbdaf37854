import datetime
from functools import cached_property

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from medialib import images
from medialib.rendering import article_body
from medialib.sanitize import sanitize_html


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Leave empty for a top-level category."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="category_not_own_parent",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:category_detail", kwargs={"slug": self.slug})

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A category cannot be placed under itself.")})
            ancestor = ancestor.parent

    def descendant_ids(self, categories=None):
        """The ids of this category and all categories below it, in one query.

        Categories are few, so walking the tree in Python is cheaper than a
        recursive query and works the same on every database. ``categories``,
        every category already loaded, saves that query.
        """
        if categories is None:
            pairs = Category.objects.values_list("pk", "parent_id")
        else:
            pairs = [(category.pk, category.parent_id) for category in categories]
        children = {}
        for pk, parent_id in pairs:
            children.setdefault(parent_id, []).append(pk)
        ids, stack = [], [self.pk]
        while stack:
            pk = stack.pop()
            ids.append(pk)
            stack.extend(children.get(pk, []))
        return ids


class AuthorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    display_name = models.CharField(
        _("display name"),
        max_length=100,
        help_text=_("The name readers see under the articles."),
    )
    bio = models.TextField(_("short biography"), blank=True)
    website = models.URLField(_("website"), blank=True)
    notify_on_comment = models.BooleanField(
        _("e-mail me each new comment"),
        default=True,
        help_text=_("Send this author an e-mail for each comment published on their articles."),
    )

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("author profile")
        verbose_name_plural = _("author profiles")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("blog:author_detail", kwargs={"username": self.user.get_username()})


def author_display_name(user):
    """The name readers see for ``user``: the profile's, else the full name, else the login."""
    profile = getattr(user, "profile", None)
    if profile is not None and profile.display_name:
        return profile.display_name
    return user.get_full_name() or user.get_username()


# What other apps add to each article of a public list, as ``name: function``
# returning an expression for ``annotate()`` (computed in the list's own query).
# The comments app adds ``comment_count`` this way: the blog never reads comments.
LISTING_ANNOTATIONS = {}


def register_listing_annotation(name, expression):
    """Have every public list of articles annotate ``name`` with ``expression()``."""
    LISTING_ANNOTATIONS[name] = expression


def load_coauthors(articles):
    """Read the co-authors of ``articles`` (a list, or one article) for ``Article.author_list``:
    one query for them all, and none when no article has any (``for_listing`` tells).

    A ``prefetch_related`` in the list's queryset would cost that query on
    every page, although most articles have a single author.
    """
    articles = [articles] if isinstance(articles, Article) else list(articles)
    pending = []
    for article in articles:
        if getattr(article, "has_coauthors", True):
            pending.append(article)
        else:
            article.prefetched_coauthor_links = []
    if pending:
        models.prefetch_related_objects(
            pending,
            models.Prefetch(
                "coauthor_links",
                queryset=ArticleAuthor.objects.select_related("user__profile"),
                to_attr="prefetched_coauthor_links",
            ),
        )
    return articles


def has_coauthors():
    """An expression for ``annotate()``: whether the article has co-authors."""
    return models.Exists(ArticleAuthor.objects.filter(article=models.OuterRef("pk")))


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles the public may see: published, with a publication date already past
        and no end of publication reached.

        An article scheduled for later is published with a future date; it
        appears by itself when that moment comes, and leaves every public page
        by itself at its end date (``unpublish_at``), with no job to run.
        """
        now = timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now).filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)
        )

    def written_by(self, user):
        """Articles ``user`` wrote: as their author or as one of their co-authors.

        EXISTS rather than a join: an article with several co-authors would
        come once per co-author, and the author's index still serves the rest.
        """
        coauthored = ArticleAuthor.objects.filter(article=models.OuterRef("pk"), user=user)
        return self.filter(Q(author=user) | models.Exists(coauthored))

    def scheduled(self):
        """Published articles whose publication date is still to come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def for_listing(self):
        """What every public list of articles shows: author, category, tags, and what
        other apps add to lists (the comment count, from ``comments``).

        The keywords go to ``tag_list`` (a plain list): taggit's manager would
        build a new queryset per article each time a template reads them.
        Whether each article has co-authors is read here (``has_coauthors``);
        ``load_coauthors`` then reads them, once the articles are loaded.
        """
        return (
            self.select_related("author__profile", "category")
            .prefetch_related(models.Prefetch("tags", to_attr="prefetched_tags"))
            .annotate(has_coauthors=has_coauthors())
            .annotate(**{name: expression() for name, expression in LISTING_ANNOTATIONS.items()})
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Submitted for review")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        help_text=_("The last part of the article's address; unique for a given day."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    coauthors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ArticleAuthor",
        verbose_name=_("co-authors"),
        blank=True,
        related_name="coauthored_articles",
        help_text=_("The other people who wrote the article, in the order of the byline."),
    )
    tags = TaggableManager(
        verbose_name=_("tags"),
        blank=True,
        help_text=_("Keywords, separated by commas."),
    )
    excerpt = models.TextField(
        _("excerpt"),
        blank=True,
        help_text=_("A short lead shown in article lists and under the title."),
    )
    body = models.TextField(_("body"), help_text=_("The article's text, in HTML."))
    # What readers get of the body, made by save() (see medialib.rendering): its
    # headings with anchors, its library images with renditions. The page
    # shows it as it is, with no work per request.
    body_html = models.TextField(
        _("body as shown"),
        blank=True,
        default="",
        editable=False,
        help_text=_("The body with its images' resized copies; made from the body on each save."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
    )
    published_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_(
            "A published article with a date in the future is scheduled: it goes "
            "online by itself at that moment."
        ),
    )
    unpublish_at = models.DateTimeField(
        _("end of publication"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. At this moment the article leaves the site by itself (pages, feeds, "
            "search, newsletter); it stays here, published. Must be after the publication date."
        ),
    )
    # The local calendar day of published_at, kept by save(): it carries the
    # database's "one slug per day" rule and the date archives' lookups.
    publication_date = models.DateField(_("publication day"), null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)
    comments_enabled = models.BooleanField(
        _("comments open"),
        default=True,
        help_text=_("Untick to close the discussion on this article."),
    )
    table_of_contents = models.BooleanField(
        _("table of contents"),
        default=False,
        help_text=_("Shows, above the text, links to its sections (its level 2 and 3 headings)."),
    )
    featured = models.BooleanField(
        _("featured"),
        default=False,
        help_text=_("Featured articles are shown first on the home page."),
    )
    seo_description = models.CharField(
        _("SEO description"),
        max_length=160,
        blank=True,
        help_text=_("Shown by search engines; the excerpt is used when left empty."),
    )
    seo_title = models.CharField(
        _("SEO title"),
        max_length=70,
        blank=True,
        help_text=_(
            "The title search engines and social networks show; the article's title is used "
            "when left empty. 70 characters at most."
        ),
    )
    social_image = models.ForeignKey(
        "medialib.MediaImage",
        verbose_name=_("sharing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The image social networks show with a link to the article (ideally 1200 × 630); "
            "the featured image is used when left empty."
        ),
    )
    noindex = models.BooleanField(
        _("hide from search engines"),
        default=False,
        help_text=_(
            "Asks search engines not to index the article, and leaves it out of the sitemap. "
            "Readers still see it on the site."
        ),
    )
    canonical_url = models.URLField(
        _("canonical address"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_(
            "For an article first published elsewhere: the original's address (http or https), "
            "which search engines will credit. Leave empty otherwise."
        ),
    )
    featured_image = images.CleanImageField(
        _("featured image"),
        upload_to="articles/%Y/%m/",
        blank=True,
        width_field="featured_image_width",
        height_field="featured_image_height",
        max_width_setting="BLOG_IMAGE_ORIGINAL_MAX_WIDTH",
        help_text=_(
            "Shown above the article and in lists. JPEG, PNG, GIF or WebP; "
            "location data and other metadata are removed."
        ),
    )
    featured_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_alt = models.CharField(
        _("image description (alternative text)"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it. Required when there is an image."),
    )
    featured_image_caption = models.CharField(
        _("caption or credit"),
        max_length=250,
        blank=True,
        help_text=_("Optional, shown under the image, e.g. “Photo: Jane Doe”."),
    )
    # The words of the title, excerpt and body for full-text search. On PostgreSQL a
    # trigger keeps it up to date and a GIN index serves it (both created by the
    # migration that adds it: Django's GinIndex would break migrations on SQLite);
    # elsewhere it stays empty and search reads the text itself (see search.selectors).
    search_vector = SearchVectorField(_("search index"), null=True, editable=False)

    # Reader comments (django-comments-xtd) point at the article by content type and
    # id; this relation deletes them with the article and allows lookups from them.
    # (The base model carries object_pk; xtd's threaded comment is its child table.)
    comments = GenericRelation(
        "django_comments.Comment",
        object_id_field="object_pk",
        related_query_name="commented_article",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        get_latest_by = "published_at"
        permissions = [("publish_article", _("Can publish articles"))]
        constraints = [
            models.UniqueConstraint(
                fields=["publication_date", "slug"],
                name="article_slug_unique_per_day",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
            # The publication day is derived from the date by save(); both are
            # set or both are empty, so the archives never disagree with the date.
            models.CheckConstraint(
                condition=Q(published_at__isnull=True, publication_date__isnull=True)
                | Q(published_at__isnull=False, publication_date__isnull=False),
                name="article_publication_day_matches_date",
            ),
            models.CheckConstraint(
                condition=Q(featured_image="") | ~Q(featured_image_alt=""),
                name="article_image_has_alt",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            models.Index(
                fields=["featured", "-published_at"],
                name="article_featured_idx",
                condition=Q(status="published"),
            ),
            # The home page's order, and the category and author pages' filters
            # then order: each page of the list is read from the index.
            models.Index(
                fields=["-featured", "-published_at", "-id"],
                name="article_home_idx",
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["category", "-published_at"],
                name="article_category_pub_idx",
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["author", "-published_at"],
                name="article_author_pub_idx",
                condition=Q(status="published"),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        self.body = sanitize_html(self.body)
        if update_fields is None or "body" in update_fields:
            self.body_html = article_body(self.body)
        self.publication_date = timezone.localdate(self.published_at) if self.published_at else None
        if update_fields is not None:
            # What save() derives is written with what it is derived from.
            derived = {"published_at": "publication_date", "body": "body_html"}
            kwargs["update_fields"] = {*update_fields, *(derived[f] for f in update_fields if f in derived)}
        super().save(*args, **kwargs)
        if update_fields is None or "featured_image" in update_fields:
            self._featured_image_saved()

    def get_absolute_url(self):
        day = self.publication_date or timezone.localdate(self.published_at or timezone.now())
        # A list page asks for each article's address several times: remember it
        # for as long as the day and slug stay the same.
        memo = self.__dict__.get("_url_memo")
        if memo is not None and memo[0] == (day, self.slug):
            return memo[1]
        url = reverse(
            "blog:article_detail",
            kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": self.slug},
        )
        self._url_memo = ((day, self.slug), url)
        return url

    @cached_property
    def tag_list(self):
        """The article's keywords: the listing's prefetch when there is one, else one query."""
        if hasattr(self, "prefetched_tags"):
            return self.prefetched_tags
        return list(self.tags.all())

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        # Remembered to notice a replaced image on save (deferred when not loaded).
        if "featured_image" in field_names:
            article._stored_featured_image = values[field_names.index("featured_image")] or ""
        return article

    def clean(self):
        super().clean()
        errors = {}
        if self.featured_image and not self.featured_image_alt.strip():
            errors["featured_image_alt"] = _(
                "Describe the image: readers who cannot see it rely on this text."
            )
        if self.unpublish_at and self.published_at and self.unpublish_at <= self.published_at:
            errors["unpublish_at"] = _("The end of publication must come after the publication date.")
        if errors:
            raise ValidationError(errors)

    def _featured_image_saved(self):
        if "featured_image" in self.get_deferred_fields():
            return
        images.image_replaced(
            image_file=self.featured_image,
            width=self.featured_image_width,
            height=self.featured_image_height,
            previous_name=getattr(self, "_stored_featured_image", ""),
        )
        self._stored_featured_image = self.featured_image.name or ""

    @cached_property
    def featured_picture(self):
        """The featured image's renditions (``images.Picture``), or None; no I/O."""
        return images.picture_for(self.featured_image, self.featured_image_width, self.featured_image_height)

    @property
    def is_public(self):
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    @property
    def is_expired(self):
        """Published, but its end of publication has passed: readers no longer see it."""
        return (
            self.status == self.Status.PUBLISHED
            and self.unpublish_at is not None
            and self.unpublish_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def author_name(self):
        return author_display_name(self.author)

    @cached_property
    def author_list(self):
        """Everyone who wrote the article, in the byline's order: the author, then the co-authors.

        Reads what ``load_coauthors`` loaded when it was called, else one
        query. The author is never listed twice.
        """
        if hasattr(self, "prefetched_coauthor_links"):
            links = self.prefetched_coauthor_links
        elif self.pk is None:
            links = []
        else:
            links = list(self.coauthor_links.select_related("user__profile"))
        users = [self.author] if self.author_id is not None else []
        seen = {self.author_id}
        for link in links:
            if link.user_id not in seen:
                seen.add(link.user_id)
                users.append(link.user)
        return users

    @property
    def meta_description(self):
        return self.seo_description or self.excerpt

    @property
    def meta_title(self):
        """The title search engines and social networks show."""
        return self.seo_title or self.title

    @property
    def comments_close_at(self):
        """When the discussion closes by itself (COMMENTS_CLOSE_AFTER_DAYS after publication), or None."""
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        if not days or self.published_at is None:
            return None
        return self.published_at + datetime.timedelta(days=days)

    @property
    def last_modified(self):
        """When readers last saw the page change: its last edit, or its going online if later.

        An article scheduled in advance was last saved before it went online;
        feeds and sitemaps must not date it before its own publication.
        """
        if self.published_at is None:
            return self.updated_at
        return max(self.updated_at, self.published_at)


class FurtherReading(models.Model):
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="further_reading",
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("further reading link")
        verbose_name_plural = _("further reading")

    def __str__(self):
        return self.title


class ArticleAuthor(models.Model):
    """A co-author of an article, at their place in the byline (after the article's author)."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="coauthor_links",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-author"),
        on_delete=models.PROTECT,
        related_name="coauthor_links",
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_("Co-authors are listed after the author, by increasing position."),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="article_coauthor_unique"),
        ]

    def __str__(self):
        return author_display_name(self.user)
