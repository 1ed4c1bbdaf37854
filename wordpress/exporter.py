"""Writing the site as a WordPress export (WXR 1.2): the service behind
``manage.py export_wordpress``.

The file follows what WordPress itself writes (CDATA sections, parents before
children, authors and terms before items) so that WordPress can import it, and
our own importer reads it back to the same content. Bodies are wrapped in a
"Custom HTML" block: they are finished HTML, and neither WordPress nor our
importer must add paragraphs to them again. Plain-text fields (titles,
excerpts, comments) are HTML-escaped, as WordPress stores them.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.feedgenerator import rfc2822_date
from django.utils.html import escape as html_escape
from django.utils.text import slugify
from django_comments_xtd.models import XtdComment
from taggit.models import Tag

from blog.models import Article, ArticleAuthor, Category, author_display_name

WXR_VERSION = "1.2"
# WordPress numbers posts and pages in one sequence; pages get their own range
# so that an article and a page never share an ID, export after export.
PAGE_ID_OFFSET = 1_000_000_000
BATCH_SIZE = 200
NO_DATE = "0000-00-00 00:00:00"


@dataclass
class ExportReport:
    counts: Counter = field(default_factory=Counter)


def site_base_url() -> str:
    """The site's address from the Sites framework: https, except on a local address."""
    domain = Site.objects.get_current().domain
    scheme = "http" if domain.split(":")[0] in ("127.0.0.1", "localhost") else "https"
    return f"{scheme}://{domain}"


def cdata(text: str) -> str:
    return "<![CDATA[" + (text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text(value) -> str:
    """A plain-text value as WordPress stores it (HTML-escaped), in a CDATA section."""
    return cdata(html_escape(value or ""))


def _dates(value):
    """(local, GMT) in WordPress' format."""
    if value is None:
        return NO_DATE, NO_DATE
    return (
        timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S"),
        value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
    )


def _status(article):
    if article.status == Article.Status.PUBLISHED:
        return "future" if article.is_scheduled else "publish"
    if article.status == Article.Status.REVIEW:
        return "pending"
    return "draft"


def wordpress_export(*, stream, since=None, until=None, base_url: str | None = None) -> ExportReport:
    """Write the site's articles (those published between ``since`` and ``until``
    if given, every article otherwise), with their authors, categories, tags and
    comments, and the static pages (without a date range), to ``stream``."""
    return _Exporter(stream, since=since, until=until, base_url=base_url or site_base_url()).run()


class _Exporter:
    def __init__(self, stream, *, since, until, base_url):
        self.stream = stream
        self.base_url = base_url.rstrip("/")
        self.report = ExportReport()
        articles = Article.objects.all()
        self.dated = since is not None or until is not None
        if since is not None:
            articles = articles.filter(publication_date__gte=since)
        if until is not None:
            articles = articles.filter(publication_date__lte=until)
        self.articles = articles
        self.site = Site.objects.get_current()
        self.content_type = ContentType.objects.get_for_model(Article)

    def write(self, text):
        self.stream.write(text)

    def run(self):
        self.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            '<rss version="2.0"\n'
            f'\txmlns:excerpt="http://wordpress.org/export/{WXR_VERSION}/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            f'\txmlns:wp="http://wordpress.org/export/{WXR_VERSION}/"\n>\n<channel>\n'
            f"\t<title>{xml_escape(settings.BLOG_NAME)}</title>\n"
            f"\t<link>{xml_escape(self.base_url)}</link>\n"
            f"\t<description>{xml_escape(settings.BLOG_TAGLINE)}</description>\n"
            f"\t<pubDate>{rfc2822_date(timezone.now())}</pubDate>\n"
            f"\t<language>{xml_escape(settings.LANGUAGE_CODE)}</language>\n"
            f"\t<wp:wxr_version>{WXR_VERSION}</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{xml_escape(self.base_url)}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{xml_escape(self.base_url)}</wp:base_blog_url>\n"
        )
        self.write_authors()
        self.write_categories()
        self.write_tags()
        self.write_articles()
        if not self.dated:
            self.write_pages()
        self.write("</channel>\n</rss>\n")
        return self.report

    # Channel ----------------------------------------------------------------

    def write_authors(self):
        """Article authors and co-authors, and registered users who commented on the exported articles."""
        ids = set(self.articles.values_list("author_id", flat=True))
        ids |= set(ArticleAuthor.objects.filter(article__in=self.articles).values_list("user_id", flat=True))
        ids |= set(
            XtdComment.objects.filter(
                content_type=self.content_type, object_pk__in=self._article_pks_as_text(), user__isnull=False
            ).values_list("user_id", flat=True)
        )
        self.author_ids = ids
        for user in get_user_model().objects.filter(pk__in=ids).select_related("profile").order_by("pk"):
            self.write(
                "\t<wp:author>"
                f"<wp:author_id>{user.pk}</wp:author_id>"
                f"<wp:author_login>{cdata(user.get_username())}</wp:author_login>"
                f"<wp:author_email>{cdata(user.email)}</wp:author_email>"
                f"<wp:author_display_name>{_text(author_display_name(user))}</wp:author_display_name>"
                f"<wp:author_first_name>{_text(user.first_name)}</wp:author_first_name>"
                f"<wp:author_last_name>{_text(user.last_name)}</wp:author_last_name>"
                "</wp:author>\n"
            )
            self.report.counts["authors"] += 1

    def _article_pks_as_text(self):
        return [str(pk) for pk in self.articles.values_list("pk", flat=True)]

    def write_categories(self):
        categories = list(Category.objects.select_related("parent"))
        # Parents first: WordPress looks a parent up when it reads its child.
        written, pending = set(), categories
        while pending:
            ready = [c for c in pending if c.parent_id is None or c.parent_id in written]
            ready = ready or pending[:1]
            for category in ready:
                self.write(
                    "\t<wp:category>"
                    f"<wp:term_id>{category.pk}</wp:term_id>"
                    f"<wp:category_nicename>{cdata(category.slug)}</wp:category_nicename>"
                    f"<wp:category_parent>{cdata(category.parent.slug if category.parent else '')}"
                    "</wp:category_parent>"
                    f"<wp:cat_name>{_text(category.name)}</wp:cat_name>"
                    f"<wp:category_description>{_text(category.description)}</wp:category_description>"
                    "</wp:category>\n"
                )
                written.add(category.pk)
                self.report.counts["categories"] += 1
            pending = [c for c in pending if c.pk not in written]

    def write_tags(self):
        tags = Tag.objects.filter(
            taggit_taggeditem_items__content_type=self.content_type,
            taggit_taggeditem_items__object_id__in=self.articles.values("pk"),
        ).distinct()
        for tag in tags.order_by("name"):
            self.write(
                "\t<wp:tag>"
                f"<wp:term_id>{tag.pk}</wp:term_id>"
                f"<wp:tag_slug>{cdata(tag.slug)}</wp:tag_slug>"
                f"<wp:tag_name>{_text(tag.name)}</wp:tag_name>"
                "</wp:tag>\n"
            )
            self.report.counts["tags"] += 1

    # Items ------------------------------------------------------------------

    def write_articles(self):
        pks = list(self.articles.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH_SIZE):
            batch = pks[start : start + BATCH_SIZE]
            articles = (
                Article.objects.filter(pk__in=batch)
                .select_related("author", "category")
                .prefetch_related(
                    "tags", Prefetch("coauthor_links", queryset=ArticleAuthor.objects.select_related("user"))
                )
                .order_by("pk")
            )
            comments = {}
            for comment in XtdComment.objects.filter(
                content_type=self.content_type, object_pk__in=[str(pk) for pk in batch], site=self.site
            ).order_by("thread_id", "order", "pk"):
                comments.setdefault(comment.object_pk, []).append(comment)
            for article in articles:
                self.write_article(article, comments.get(str(article.pk), []))

    def write_article(self, article, comments):
        local, gmt = _dates(article.published_at)
        if article.published_at is None:
            local = timezone.localtime(article.created_at).strftime("%Y-%m-%d %H:%M:%S")
        terms = []
        if article.category:
            terms.append(("category", article.category.slug, article.category.name))
        terms += [("post_tag", tag.slug, tag.name) for tag in article.tags.all()]
        coauthors = [link.user for link in article.coauthor_links.all() if link.user_id != article.author_id]
        if coauthors:
            # As Co-Authors Plus writes them: every author of the byline, the main one first.
            terms += [
                ("author", f"cap-{slugify(user.get_username())}", user.get_username())
                for user in [article.author, *coauthors]
            ]
        self.write_item(
            wp_id=article.pk,
            title=article.title,
            link=self.base_url + article.get_absolute_url(),
            creator=article.author.get_username(),
            content=article.body,
            excerpt=article.excerpt,
            date=local,
            date_gmt=gmt,
            status=_status(article),
            slug=article.slug,
            post_type="post",
            sticky=article.featured,
            comment_status="open" if article.comments_enabled else "closed",
            terms=terms,
            pub_date=article.published_at,
            comments=comments,
        )
        self.report.counts["posts"] += 1

    def write_pages(self):
        for page in FlatPage.objects.filter(sites=self.site).order_by("pk"):
            self.write_item(
                wp_id=PAGE_ID_OFFSET + page.pk,
                title=page.title,
                link=self.base_url + page.get_absolute_url(),
                creator="",
                content=page.content,
                excerpt="",
                date=NO_DATE,
                date_gmt=NO_DATE,
                status="private" if page.registration_required else "publish",
                slug=page.url.strip("/").rsplit("/", 1)[-1],
                post_type="page",
                sticky=False,
                comment_status="closed",
                terms=[],
                pub_date=None,
                comments=[],
            )
            self.report.counts["pages"] += 1

    def write_item(self, *, wp_id, title, link, creator, content, excerpt, date, date_gmt, status, slug,
                   post_type, sticky, comment_status, terms, pub_date, comments):  # fmt: skip
        pub = rfc2822_date(pub_date) if pub_date else ""
        categories = "".join(
            f'\t\t<category domain="{domain}" nicename="{xml_escape(term_slug, {chr(34): "&quot;"})}">'
            f"{_text(name)}</category>\n"
            for domain, term_slug, name in terms
        )
        self.write(
            "\t<item>\n"
            f"\t\t<title>{xml_escape(html_escape(title))}</title>\n"
            f"\t\t<link>{xml_escape(link)}</link>\n"
            f"\t\t<pubDate>{pub}</pubDate>\n"
            f"\t\t<dc:creator>{cdata(creator)}</dc:creator>\n"
            f'\t\t<guid isPermaLink="false">{xml_escape(self.base_url)}/?p={wp_id}</guid>\n'
            "\t\t<description></description>\n"
            f"\t\t<content:encoded>{cdata(f'<!-- wp:html -->{chr(10)}{content}{chr(10)}<!-- /wp:html -->')}"
            "</content:encoded>\n"
            f"\t\t<excerpt:encoded>{_text(excerpt)}</excerpt:encoded>\n"
            f"\t\t<wp:post_id>{wp_id}</wp:post_id>\n"
            f"\t\t<wp:post_date>{cdata(date)}</wp:post_date>\n"
            f"\t\t<wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>\n"
            f"\t\t<wp:comment_status>{cdata(comment_status)}</wp:comment_status>\n"
            f"\t\t<wp:ping_status>{cdata('closed')}</wp:ping_status>\n"
            f"\t\t<wp:post_name>{cdata(slug)}</wp:post_name>\n"
            f"\t\t<wp:status>{cdata(status)}</wp:status>\n"
            "\t\t<wp:post_parent>0</wp:post_parent>\n"
            "\t\t<wp:menu_order>0</wp:menu_order>\n"
            f"\t\t<wp:post_type>{cdata(post_type)}</wp:post_type>\n"
            f"\t\t<wp:post_password>{cdata('')}</wp:post_password>\n"
            f"\t\t<wp:is_sticky>{1 if sticky else 0}</wp:is_sticky>\n"
            f"{categories}"
        )
        for comment in comments:
            self.write_comment(comment)
        self.write("\t</item>\n")

    def write_comment(self, comment):
        local, gmt = _dates(comment.submit_date)
        approved = "trash" if comment.is_removed else ("1" if comment.is_public else "0")
        parent = comment.parent_id if comment.parent_id and comment.parent_id != comment.pk else 0
        user_id = comment.user_id if comment.user_id in self.author_ids else 0
        self.write(
            "\t\t<wp:comment>"
            f"<wp:comment_id>{comment.pk}</wp:comment_id>"
            f"<wp:comment_author>{_text(comment.user_name)}</wp:comment_author>"
            f"<wp:comment_author_email>{cdata(comment.user_email)}</wp:comment_author_email>"
            f"<wp:comment_author_url>{xml_escape(comment.user_url)}</wp:comment_author_url>"
            f"<wp:comment_author_IP>{xml_escape(comment.ip_address or '')}</wp:comment_author_IP>"
            f"<wp:comment_date>{cdata(local)}</wp:comment_date>"
            f"<wp:comment_date_gmt>{cdata(gmt)}</wp:comment_date_gmt>"
            f"<wp:comment_content>{_text(comment.comment)}</wp:comment_content>"
            f"<wp:comment_approved>{cdata(approved)}</wp:comment_approved>"
            f"<wp:comment_type>{cdata('comment')}</wp:comment_type>"
            f"<wp:comment_parent>{parent}</wp:comment_parent>"
            f"<wp:comment_user_id>{user_id}</wp:comment_user_id>"
            "</wp:comment>\n"
        )
        self.report.counts["comments"] += 1
