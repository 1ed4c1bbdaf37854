"""What a reader sees after posting: the outcome at the discussion, told once and fully,
links in the e-mails that reach this site, the rate limit that keeps their text, and the
form's accessibility."""

import html
import re
from html.parser import HTMLParser

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.core.cache import cache
from django.utils.translation import gettext
from django_comments_xtd.models import XtdComment

from comments import services
from tests.factories import CommentFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

CONFIRM_SENT = (
    "Almost done: we sent you an e-mail. Your comment will appear once you click "
    "the confirmation link it contains."
)
CONFIRM_SENT_HELD = (
    "Almost done: we sent you an e-mail. Confirm your comment with the link it contains; "
    "a moderator will then read it, and it will appear once approved."
)
CONFIRMED_HELD = (
    "Thank you, your comment is confirmed. As announced, it will appear once a moderator approves it."
)
ALL_MODERATION_MESSAGES = (
    CONFIRMED_HELD,
    "Thank you, your comment was received. It will appear once a moderator approves it.",
)


def page_text(response):
    return html.unescape(response.content.decode())


def discussion_html(response):
    """The markup of the discussion section: from its opening tag to the end of the page's main."""
    page = page_text(response)
    start = page.index('<section class="comments" id="comments"')
    return page[start : page.index("</main>", start)]


def confirm_path(message):
    return re.search(r"https?://[^/\s]+(/commentaires/confirm/[^\s]+/)", message.body).group(1)


@pytest.fixture
def _trusted(settings):
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False


# 1. The outcome is shown where the reader lands (#comments)
# ------------------------------------------------------------------------------


@pytest.mark.usefixtures("_trusted")
def test_after_posting_the_message_is_at_the_discussion(article, post_comment):
    response = post_comment(article, follow=True)

    assert response.redirect_chain[-1][0].endswith("#comments")
    section = discussion_html(response)
    notice = section[: section.index('id="comments-title"')]
    assert 'class="comments__messages" role="status"' in notice
    assert gettext(CONFIRM_SENT) in notice


@pytest.mark.usefixtures("_trusted")
def test_after_the_confirmation_link_the_comment_is_shown_with_the_thanks(client, article, post_comment):
    post_comment(article)
    response = client.get(confirm_path(mail.outbox[0]), follow=True)

    comment = XtdComment.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"#c{comment.pk}")
    assert gettext("Thank you, your comment is online.") in discussion_html(response)


def test_the_shared_page_carries_no_readers_message(client, article, post_comment):
    post_comment(article)
    client.cookies.clear()
    response = client.get(article.get_absolute_url())
    assert "comments__messages" not in response.content.decode()


# 2. The whole truth at the first step
# ------------------------------------------------------------------------------


def test_a_first_time_address_is_told_at_once_that_a_moderator_will_approve(client, article, post_comment):
    posted = post_comment(article, follow=True)
    assert gettext(CONFIRM_SENT_HELD) in discussion_html(posted)
    assert gettext(CONFIRM_SENT) not in page_text(posted)

    confirmed = client.get(confirm_path(mail.outbox[0]), follow=True)
    assert not XtdComment.objects.get().is_public
    assert gettext(CONFIRMED_HELD) in discussion_html(confirmed)


def test_a_trusted_address_is_not_told_about_moderation(client, article, post_comment):
    CommentFactory(article=article, user_email="zoe@example.org")
    posted = post_comment(article, comment="Encore un avis.", follow=True)
    assert gettext(CONFIRM_SENT) in discussion_html(posted)
    confirmed = client.get(confirm_path(mail.outbox[0]), follow=True)
    text = page_text(confirmed)
    assert gettext("Thank you, your comment is online.") in text
    assert not any(gettext(message) in text for message in ALL_MODERATION_MESSAGES)


# 3. Links in the e-mails lead to the site that sent them
# ------------------------------------------------------------------------------


@pytest.mark.usefixtures("_trusted")
def test_every_link_of_the_mails_uses_the_address_and_port_the_reader_used(
    client, article, comment_data, settings, django_capture_on_commit_callbacks
):
    """``make run PORT=8080``: the Site still says 127.0.0.1:8000 from the first migration."""
    settings.COMMENTS_NOTIFY_MODERATORS = True
    assert Site.objects.get_current().domain != "127.0.0.1:8080"
    StaffFactory(email="moderatrice@example.org", is_superuser=True)
    CommentFactory(article=article, user_email="suiveur@example.org", followup=True)
    host = {"HTTP_HOST": "127.0.0.1:8080"}

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/commentaires/post/", comment_data(article), **host)
    (confirmation,) = mail.outbox
    assert "http://127.0.0.1:8080/commentaires/confirm/" in confirmation.body
    assert f"http://127.0.0.1:8080{article.get_absolute_url()}" in confirmation.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.get(confirm_path(confirmation), **host)
    (followup,) = [message for message in mail.outbox if message.to == ["suiveur@example.org"]]
    assert "http://127.0.0.1:8080/commentaires/mute/" in followup.body
    assert followup.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8080/commentaires/mute/")
    assert f"http://127.0.0.1:8080{article.get_absolute_url()}#c" in followup.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/commentaires/post/",
            comment_data(article, comment="Voir https://a.example https://b.example https://c.example"),
            **host,
        )
        client.get(confirm_path(mail.outbox[-1]), **host)
    moderation = [message for message in mail.outbox if message.to == ["moderatrice@example.org"]]
    assert moderation, [message.to for message in mail.outbox]
    assert "http://127.0.0.1:8080/admin/" in moderation[0].body
    assert "127.0.0.1:8000" not in "".join(message.body for message in mail.outbox)


@pytest.mark.usefixtures("_trusted")
def test_a_secure_request_gives_https_links(client, article, comment_data, settings):
    settings.COMMENTS_LINK_SCHEME = "http"
    client.post("/commentaires/post/", comment_data(article), secure=True, HTTP_HOST="localhost")
    assert "https://localhost/commentaires/confirm/" in mail.outbox[0].body


def test_without_a_request_links_use_the_sites_domain(article, settings):
    settings.COMMENTS_LINK_SCHEME = "https"
    Site.objects.filter(pk=settings.SITE_ID).update(domain="blog.example.net")
    Site.objects.clear_cache()
    comment = CommentFactory(article=article)
    CommentFactory(article=article, user_email="suiveur@example.org", followup=True)
    (message,) = services.follower_messages(comment=comment, article=article)
    assert "https://blog.example.net/commentaires/mute/" in message.body


def test_an_unknown_host_gets_no_link_at_all(client, article, comment_data):
    response = client.post("/commentaires/post/", comment_data(article), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert mail.outbox == []


# 4. The rate limit keeps the reader's text, and counts only accepted or abusive posts
# ------------------------------------------------------------------------------


@pytest.fixture
def limit_of_two(settings):
    settings.COMMENTS_RATE_LIMIT = 2
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    cache.clear()


@pytest.mark.usefixtures("limit_of_two")
def test_the_rate_limited_page_gives_the_text_back_in_the_form(article, post_comment):
    post_comment(article, comment="Premier")
    post_comment(article, comment="Deuxième")
    mail.outbox.clear()

    response = post_comment(article, comment="Un long avis que je ne veux pas perdre.", followup="on")

    assert response.status_code == 429
    text = page_text(response)
    assert '<form class="comment-form"' in text
    assert "Un long avis que je ne veux pas perdre.</textarea>" in text
    assert 'value="zoe@example.org"' in text
    assert re.search(r'<input type="checkbox" name="followup"[^>]* checked', text)
    assert re.search(r'name="timestamp" value="\d+"', text), "new security data to post it again"
    assert 'class="field__error"' not in text, "nothing is wrong with the comment itself"
    assert mail.outbox == []


@pytest.mark.usefixtures("limit_of_two")
@pytest.mark.parametrize(
    "mistake",
    [{"comment": ""}, {"age": 0}, {"name": "  "}],
    ids=["empty", "too-fast", "no-name"],
)
def test_refused_mistakes_do_not_count_toward_the_limit(article, post_comment, mistake):
    for _ in range(3):
        assert post_comment(article, **mistake).status_code == 400
    assert post_comment(article, comment="Premier").status_code == 302
    assert post_comment(article, comment="Deuxième").status_code == 302
    assert post_comment(article, comment="Troisième").status_code == 429


@pytest.mark.usefixtures("limit_of_two")
def test_a_filled_honeypot_counts_toward_the_limit(article, post_comment):
    assert post_comment(article, honeypot="spam").status_code == 400
    assert post_comment(article, honeypot="spam").status_code == 400
    assert post_comment(article, comment="Premier").status_code == 429


@pytest.mark.usefixtures("limit_of_two")
def test_a_forged_signature_counts_toward_the_limit(article, post_comment):
    assert post_comment(article, security_hash="0" * 40).status_code == 400
    assert post_comment(article, security_hash="0" * 40).status_code == 400
    assert post_comment(article, comment="Premier").status_code == 429


@pytest.mark.usefixtures("limit_of_two")
def test_a_rate_limited_post_to_a_forged_target_gets_the_plain_page(client, comment_data, article):
    for _ in range(3):
        response = client.post("/commentaires/post/", comment_data(article, object_pk="999999"))
    assert response.status_code == 429
    assert "comment-form" not in response.content.decode()


# 5. Standards
# ------------------------------------------------------------------------------


class Markup(HTMLParser):
    """The ids, aria-describedby references and headings of a page."""

    def __init__(self):
        super().__init__()
        self.ids, self.described_by, self.headings, self.elements = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described_by.extend(attrs["aria-describedby"].split())
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def markup(response):
    parser = Markup()
    parser.feed(response.content.decode())
    return parser


def assert_every_description_exists(parsed):
    assert parsed.described_by, "the fields name their help and errors"
    missing = [ref for ref in parsed.described_by if ref not in parsed.ids]
    assert missing == []


def test_help_texts_named_by_aria_describedby_exist_on_the_article(client, article):
    assert_every_description_exists(markup(client.get(article.get_absolute_url())))


def test_errors_named_by_aria_describedby_exist_on_the_error_page(article, post_comment):
    response = post_comment(article, comment="", email="pas-une-adresse", name=" ")
    parsed = markup(response)
    assert_every_description_exists(parsed)
    assert {"id_comment_error", "id_email_error", "id_name_error"} <= parsed.ids


def test_every_invalid_field_is_marked_invalid(article, post_comment):
    response = post_comment(article, comment="", email="pas-une-adresse", name=" ")
    parsed = markup(response)
    invalid = {attrs["name"] for tag, attrs in parsed.elements if attrs.get("aria-invalid") == "true"}
    assert invalid == {"name", "email", "comment"}
    wrappers = re.findall(
        r'<p class="field field--error">\s*<label for="id_(\w+)"', response.content.decode()
    )
    assert set(wrappers) == {"name", "email", "comment"}


@pytest.mark.parametrize("mistake", [{"comment": ""}, {"age": 0}], ids=["field-error", "form-error"])
def test_the_error_page_does_not_skip_a_heading_level(article, post_comment, mistake):
    headings = markup(post_comment(article, **mistake)).headings
    assert headings[0] == 1
    assert all(later - earlier <= 1 for earlier, later in zip(headings, headings[1:], strict=False)), headings


@pytest.mark.usefixtures("limit_of_two")
def test_the_rate_limited_page_does_not_skip_a_heading_level(article, post_comment):
    for text in ("Premier", "Deuxième", "Troisième"):
        response = post_comment(article, comment=text)
    assert response.status_code == 429
    headings = markup(response).headings
    assert headings[0] == 1
    assert all(later - earlier <= 1 for earlier, later in zip(headings, headings[1:], strict=False)), headings


def test_comment_times_are_valid_html_datetimes(client, article):
    CommentFactory(article=article)
    page = client.get(article.get_absolute_url()).content.decode()
    values = re.findall(r'<time datetime="([^"]+)"', page)
    assert values
    # HTML allows at most three digits of fractions of a second; microseconds are six.
    html_datetime = r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)"
    assert all(re.fullmatch(html_datetime, value) for value in values), values


# The follow-up subscription is an explicit choice
# ------------------------------------------------------------------------------


def test_the_follow_up_box_is_unticked_for_every_reader(client, article):
    anonymous = client.get(article.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    signed_in = client.get(article.get_absolute_url()).content.decode()
    for page in (anonymous, signed_in):
        (box,) = re.findall(r'<input type="checkbox" name="followup"[^>]*>', page)
        assert "checked" not in box


@pytest.mark.usefixtures("_trusted")
def test_a_comment_without_the_box_ticked_follows_nothing(client, article, post_comment):
    post_comment(article)
    client.get(confirm_path(mail.outbox[0]))
    assert XtdComment.objects.get().followup is False


# Thread comforts
# ------------------------------------------------------------------------------


def test_the_writer_sees_their_comment_awaiting_moderation_and_nobody_else(client, article, post_comment):
    post_comment(article, comment="Un avis en attente de modération.")
    confirmed = client.get(confirm_path(mail.outbox[0]), follow=True)

    section = discussion_html(confirmed)
    notice = section[: section.index('id="comments-title"')]
    assert "Un avis en attente de modération." in notice
    assert gettext("Your comment, awaiting moderation (only you see it here):") in notice

    again = client.get(article.get_absolute_url())
    assert "Un avis en attente de modération." not in again.content.decode(), "shown with the message only"
    client.cookies.clear()
    assert "Un avis en attente de modération." not in client.get(article.get_absolute_url()).content.decode()


def test_a_signed_in_writer_sees_their_held_comment(client, article, post_comment, settings):
    settings.COMMENTS_MODERATION = "pre"
    user = UserFactory()
    client.force_login(user)
    response = post_comment(article, comment="Mon avis, retenu.", follow=True)
    assert not XtdComment.objects.get().is_public
    assert "Mon avis, retenu." in discussion_html(response)


def test_each_comment_has_a_link_to_itself(client, article):
    comment = CommentFactory(article=article)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'id="c{comment.pk}"' in page
    assert f'<a class="comment__permalink" href="{article.get_absolute_url()}#c{comment.pk}"' in page
