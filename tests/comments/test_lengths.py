"""Every field of the comment form holds what its database column holds, and says so.

A value the column cannot hold used to pass the form and fail at the INSERT on
PostgreSQL (SQLite stores it anyway): a 500, and the comment lost, at
confirmation for an anonymous poster, at once for a signed-in one or when the
mail server is down. Run this file on PostgreSQL too (DATABASE_URL=postgres://…).
"""

import html
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.validators import validate_email
from django_comments_xtd.models import XtdComment

from comments.forms import TOO_LONG, CommentForm
from tests.factories import UserFactory

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/commentaires/confirm/[^\s]+/)")
COLUMN = {
    name: XtdComment._meta.get_field(name).max_length for name in ("user_name", "user_email", "user_url")
}


def email_of(length):
    """A valid address of exactly ``length`` characters (long domains are allowed)."""
    local = "camille"
    labels, room = [], length - len(local) - 1 - len(".fr")
    while room > 0:
        size = min(60, room)
        if room - size == 1:  # a lone dot would be left over
            size -= 1
        labels.append("d" * size)
        room -= size + 1
    address = f"{local}@{'.'.join(labels)}.fr"
    assert len(address) == length
    validate_email(address)
    return address


def url_of(length):
    prefix = "https://example.org/"
    return prefix + "a" * (length - len(prefix))


def page_text(response):
    return html.unescape(response.content.decode())


def stored(article):
    return XtdComment.objects.filter(object_pk=str(article.pk))


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    return settings


def too_long(field, column, value):
    return str(TOO_LONG[field]) % {"limit_value": COLUMN[column], "show_value": len(value)}


def assert_refused_with_text_kept(response, article, message):
    assert response.status_code == 400
    page = page_text(response)
    assert re.search(
        rf'<span class="field__error" id="id_\w+_error" role="alert">{re.escape(message)}</span>', page
    )
    assert "Merci pour cet article très clair." in page, "the comment is given back as written"
    assert not stored(article).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("length", [255, 300, 320])
def test_an_anonymous_e_mail_longer_than_its_column_is_refused_before_any_mail(
    client, article, post_comment, length
):
    email = email_of(length)
    response = post_comment(article, email=email)
    assert_refused_with_text_kept(response, article, too_long("email", "user_email", email))
    assert f'value="{email}"' in page_text(response), "the address is given back to be corrected"
    assert not mail.outbox, "no confirmation link for a comment that could never be saved"


@pytest.mark.django_db
@pytest.mark.parametrize("length", [201, 1000, 2048])
def test_a_signed_in_reader_s_website_longer_than_its_column_is_refused(
    client, article, post_comment, length
):
    client.force_login(UserFactory(username="lectrice"))
    response = post_comment(article, url=url_of(length))
    assert_refused_with_text_kept(response, article, too_long("url", "user_url", url_of(length)))


@pytest.mark.django_db
def test_a_long_website_is_refused_when_the_mail_server_is_down(
    client, article, post_comment, mail_server_down
):
    response = post_comment(article, url=url_of(600))
    assert_refused_with_text_kept(response, article, too_long("url", "user_url", url_of(600)))


@pytest.mark.django_db
def test_a_name_or_comment_too_long_is_refused_in_french(client, article, post_comment):
    name = "N" * (COLUMN["user_name"] + 1)
    response = post_comment(article, name=name)
    assert_refused_with_text_kept(response, article, too_long("name", "user_name", name))

    long_text = "Merci pour cet article très clair. " + "x" * settings.COMMENT_MAX_LENGTH
    response = post_comment(article, comment=long_text)
    assert response.status_code == 400
    expected = str(TOO_LONG["comment"]) % {
        "limit_value": settings.COMMENT_MAX_LENGTH,
        "show_value": len(long_text),
    }
    assert expected in page_text(response)
    assert long_text in page_text(response)
    assert not stored(article).exists()


@pytest.mark.django_db
def test_values_that_fill_their_columns_exactly_are_kept(client, article, post_comment):
    """Anonymous, confirmed by e-mail: what the column holds is saved whole."""
    email, url = email_of(COLUMN["user_email"]), url_of(COLUMN["user_url"])
    name = "N" * COLUMN["user_name"]
    response = post_comment(article, email=email, url=url, name=name)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert client.get(CONFIRM_LINK.search(message.body).group(1)).status_code == 302
    comment = stored(article).get()
    assert (comment.user_email, comment.user_url, comment.user_name) == (email, url, name)


@pytest.mark.django_db
def test_a_signed_in_reader_s_long_website_is_saved_at_its_limit(client, article, post_comment):
    client.force_login(UserFactory(username="lecteur"))
    response = post_comment(article, url=url_of(COLUMN["user_url"]))
    assert response.status_code == 302
    assert stored(article).get().user_url == url_of(COLUMN["user_url"])


def test_the_form_s_limits_are_the_columns(article):
    form = CommentForm(article)
    for field, column in [("name", "user_name"), ("email", "user_email"), ("url", "user_url")]:
        assert form.fields[field].max_length == COLUMN[column]
        assert form.fields[field].widget.attrs["maxlength"] == COLUMN[column]
