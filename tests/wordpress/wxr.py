"""Build small WordPress export files (WXR 1.2) for the tests."""

from xml.sax.saxutils import escape

BASE = "http://ancien-blog.example.com"


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def author(login, *, wp_id=1, email=None, display_name=None, first="", last=""):
    return f"""
  <wp:author>
    <wp:author_id>{wp_id}</wp:author_id>
    <wp:author_login>{cdata(login)}</wp:author_login>
    <wp:author_email>{cdata(email or f"{login}@example.org")}</wp:author_email>
    <wp:author_display_name>{cdata(display_name or login)}</wp:author_display_name>
    <wp:author_first_name>{cdata(first)}</wp:author_first_name>
    <wp:author_last_name>{cdata(last)}</wp:author_last_name>
  </wp:author>"""


def category(slug, name, *, term_id, parent="", description=""):
    return f"""
  <wp:category>
    <wp:term_id>{term_id}</wp:term_id>
    <wp:category_nicename>{cdata(slug)}</wp:category_nicename>
    <wp:category_parent>{cdata(parent)}</wp:category_parent>
    <wp:cat_name>{cdata(name)}</wp:cat_name>
    <wp:category_description>{cdata(description)}</wp:category_description>
  </wp:category>"""


def tag(slug, name, *, term_id):
    return f"""
  <wp:tag>
    <wp:term_id>{term_id}</wp:term_id>
    <wp:tag_slug>{cdata(slug)}</wp:tag_slug>
    <wp:tag_name>{cdata(name)}</wp:tag_name>
  </wp:tag>"""


def comment(
    wp_id, content, *, parent=0, approved="1", author="Lectrice", email="lectrice@example.org",
    date="2015-03-02 10:00:00", date_gmt="2015-03-02 09:00:00", url="", ip="192.0.2.10",
    type="comment", user_id=0,
):  # fmt: skip
    return f"""
    <wp:comment>
      <wp:comment_id>{wp_id}</wp:comment_id>
      <wp:comment_author>{cdata(author)}</wp:comment_author>
      <wp:comment_author_email>{cdata(email)}</wp:comment_author_email>
      <wp:comment_author_url>{escape(url)}</wp:comment_author_url>
      <wp:comment_author_IP>{escape(ip)}</wp:comment_author_IP>
      <wp:comment_date>{date}</wp:comment_date>
      <wp:comment_date_gmt>{date_gmt}</wp:comment_date_gmt>
      <wp:comment_content>{cdata(content)}</wp:comment_content>
      <wp:comment_approved>{cdata(approved)}</wp:comment_approved>
      <wp:comment_type>{cdata(type)}</wp:comment_type>
      <wp:comment_parent>{parent}</wp:comment_parent>
      <wp:comment_user_id>{user_id}</wp:comment_user_id>
    </wp:comment>"""


def item(
    wp_id, title, *, slug=None, content="", excerpt="", status="publish", post_type="post",
    date="2015-03-01 10:30:00", date_gmt="2015-03-01 09:30:00", creator="marie", link=None,
    categories=(), tags=(), comments=(), sticky=False, password="", parent=0, menu_order=0,
    comment_status="open", postmeta=None, attachment_url="", raw_title=None,
):  # fmt: skip
    slug = f"article-{wp_id}" if slug is None else slug
    link = f"{BASE}/2015/03/01/{slug}/" if link is None else link
    terms = "".join(
        f'\n    <category domain="category" nicename="{escape(s)}">{cdata(n)}</category>'
        for s, n in categories
    ) + "".join(
        f'\n    <category domain="post_tag" nicename="{escape(s)}">{cdata(n)}</category>' for s, n in tags
    )
    meta = "".join(
        f"""
    <wp:postmeta>
      <wp:meta_key>{cdata(key)}</wp:meta_key>
      <wp:meta_value>{cdata(value)}</wp:meta_value>
    </wp:postmeta>"""
        for key, value in (postmeta or {}).items()
    )
    attachment = (
        f"\n    <wp:attachment_url>{escape(attachment_url)}</wp:attachment_url>" if attachment_url else ""
    )
    title_xml = raw_title if raw_title is not None else escape(title)
    return f"""
  <item>
    <title>{title_xml}</title>
    <link>{escape(link)}</link>
    <pubDate>Sun, 01 Mar 2015 09:30:00 +0000</pubDate>
    <dc:creator>{cdata(creator)}</dc:creator>
    <guid isPermaLink="false">{BASE}/?p={wp_id}</guid>
    <description></description>
    <content:encoded>{cdata(content)}</content:encoded>
    <excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
    <wp:post_id>{wp_id}</wp:post_id>
    <wp:post_date>{cdata(date)}</wp:post_date>
    <wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>
    <wp:comment_status>{cdata(comment_status)}</wp:comment_status>
    <wp:ping_status>{cdata("open")}</wp:ping_status>
    <wp:post_name>{cdata(slug)}</wp:post_name>
    <wp:status>{cdata(status)}</wp:status>
    <wp:post_parent>{parent}</wp:post_parent>
    <wp:menu_order>{menu_order}</wp:menu_order>
    <wp:post_type>{cdata(post_type)}</wp:post_type>
    <wp:post_password>{cdata(password)}</wp:post_password>
    <wp:is_sticky>{1 if sticky else 0}</wp:is_sticky>{attachment}{terms}{meta}{"".join(comments)}
  </item>"""


def wxr(*parts, base=BASE, version="1.2"):
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/{version}/"
>
<channel>
  <title>Ancien blog</title>
  <link>{base}</link>
  <description>Un blog WordPress</description>
  <language>fr-FR</language>
  <wp:wxr_version>{version}</wp:wxr_version>
  <wp:base_site_url>{base}</wp:base_site_url>
  <wp:base_blog_url>{base}</wp:base_blog_url>
{"".join(parts)}
</channel>
</rss>
"""
