"""An article's author gets an e-mail for each comment published on it, unless they said no."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django_comments_xtd.models import XtdComment
from django_tasks_db.models import DBTaskResult

from blog.models import AuthorProfile
from comments import services
from tests.factories import (
    ArticleFactory,
    AuthorUserFactory,
    CommentFactory,
    EditorUserFactory,
    ModeratorUserFactory,
    StaffFactory,
    UserFactory,
)
from tests.security.comments_support import comment_data, confirm_sent_comments
from tests.security.comments_support import post_comment as post_as
from tests.smtp_sink import database_queue, smtp_server

pytestmark = pytest.mark.django_db


def subject(article):
    return gettext("New comment on your article “%(title)s”") % {"title": article.title}


def checkbox(page):
    return re.search(r'<input[^>]*name="notify_on_comment"[^>]*>', page).group(0)


def trusted_reader(client, article, email="lectrice@example.org", **fields):
    """A signed-in reader whose comments are published at once (an earlier one was approved)."""
    CommentFactory(article=ArticleFactory(), user_email=email)
    reader = UserFactory(email=email, **fields)
    client.force_login(reader)
    return reader


def author_mails(article):
    return [message for message in mail.outbox if message.to == [article.author.email]]


def test_the_author_gets_one_e_mail_with_the_comment_and_its_links(client, article, post_comment):
    trusted_reader(client, article, first_name="Zoé", last_name="Lambert")

    post_comment(article, name="", email="", comment="Une question précise\nsur deux lignes.")

    comment = XtdComment.objects.get(comment__startswith="Une question")
    assert comment.is_public
    (message,) = mail.outbox
    assert message.to == [article.author.email]
    assert message.subject == subject(article)
    text = message.body
    assert "Zoé Lambert" in text
    assert "Une question précise\nsur deux lignes." in text
    assert f"http://testserver{article.get_absolute_url()}#c{comment.pk}" in text
    assert f"http://testserver/admin/django_comments_xtd/xtdcomment/{comment.pk}/change/" in text
    assert "http://testserver/admin/securite/#comment-emails" in text
    label = capfirst(gettext("e-mail me each new comment"))
    how_to_stop = gettext(
        "You receive this e-mail because you wrote this article. "
        "To stop these e-mails, untick “%(label)s” on your account page:"
    )
    assert how_to_stop % {"label": label} in text
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert "Zoé Lambert" in html
    assert "Une question précise<br>sur deux lignes." in html
    assert f'href="http://testserver{article.get_absolute_url()}#c{comment.pk}"' in html
    assert f'href="http://testserver/admin/django_comments_xtd/xtdcomment/{comment.pk}/change/"' in html
    assert 'href="http://testserver/admin/securite/#comment-emails"' in html


def test_the_comment_s_text_is_escaped_in_the_html_part(client, article, post_comment):
    trusted_reader(client, article)
    post_comment(article, name="", email="", comment="<script>alert(1)</script> & <b>gras</b>")
    ((html, _mimetype),) = author_mails(article)[0].alternatives
    assert "<script>" not in html and "<b>gras</b>" not in html
    assert "&lt;script&gt;" in html


def test_a_held_comment_tells_the_author_only_once_approved(
    client, article, post_comment, staff_user, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(email="nouvelle@example.org"))
    post_comment(article, name="", email="", comment="Premier commentaire")
    held = XtdComment.objects.get(comment="Premier commentaire")
    assert not held.is_public
    assert [m.to for m in mail.outbox] == [[staff_user.email]]  # the moderators only
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.comments_approve(comments=XtdComment.objects.filter(pk=held.pk), moderator=staff_user)

    (message,) = author_mails(article)
    assert "Premier commentaire" in message.body
    assert len(mail.outbox) == 1


def test_an_author_who_switched_it_off_gets_nothing(client, article, post_comment):
    AuthorProfile.objects.filter(user=article.author).update(notify_on_comment=False)
    trusted_reader(client, article)
    post_comment(article, name="", email="", comment="Bonjour")
    assert mail.outbox == []


def test_an_author_without_a_profile_is_told(client, post_comment):
    author = AuthorUserFactory(username="sans-profil", email="sans-profil@example.org")
    article = ArticleFactory(author=author)
    assert not AuthorProfile.objects.filter(user=author).exists()
    trusted_reader(client, article)
    post_comment(article, name="", email="", comment="Bonjour")
    assert [m.to for m in mail.outbox] == [["sans-profil@example.org"]]


def test_no_e_mail_to_an_author_without_an_address_or_whose_account_is_closed(client, post_comment):
    no_address = ArticleFactory(author=UserFactory(username="sans-adresse", email=""))
    closed = ArticleFactory(author=UserFactory(username="parti", is_active=False))
    trusted_reader(client, no_address)
    post_comment(no_address, name="", email="", comment="Un")
    post_comment(closed, name="", email="", comment="Deux")
    assert mail.outbox == []


def test_the_author_is_not_told_about_their_own_comment(client, article, post_comment):
    client.force_login(article.author)
    post_comment(article, name="", email="", comment="Réponse de l'auteur")
    assert XtdComment.objects.get(comment="Réponse de l'auteur").is_public
    assert mail.outbox == []


def test_nor_about_a_comment_from_their_address_under_another_account(client, article, post_comment):
    trusted_reader(client, article, email=article.author.email.upper())
    post_comment(article, name="", email="", comment="Sous un autre compte")
    assert mail.outbox == []


def test_an_author_who_follows_the_discussion_gets_one_e_mail_not_two(client, article, post_comment):
    CommentFactory(article=article, user_email=article.author.email, followup=True)
    CommentFactory(article=article, user_email="suivi@example.org", followup=True)
    trusted_reader(client, article)

    post_comment(article, name="", email="", comment="Une suite")

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([article.author.email, "suivi@example.org"])


def test_the_recipients_are_the_article_s_author():
    article = ArticleFactory()
    assert services.article_author_users(article) == [article.author]


def test_a_comment_posted_by_email_confirmation_tells_the_author(client, article):
    CommentFactory(article=ArticleFactory(), user_email="anonyme@example.org")  # trusted address
    post_as(client, comment_data(article, comment="Anonyme confirmé", email="anonyme@example.org"))
    confirm_sent_comments(client)

    assert XtdComment.objects.get(comment="Anonyme confirmé").is_public
    (message,) = author_mails(article)
    assert "Anonyme confirmé" in message.body


# With a worker
# ------------------------------------------------------------------------------


@pytest.fixture
def database_tasks(settings, transactional_db):
    with database_queue(settings) as run_worker:
        yield run_worker


@pytest.fixture
def smtp_sink(settings):
    with smtp_server(settings) as sink:
        yield sink


def test_the_worker_sends_the_author_s_e_mail_with_links_on_the_address_used(
    client, article, database_tasks, smtp_sink
):
    client.force_login(StaffFactory(username="redaction", email="redaction@example.org"))

    response = post_as(
        client,
        comment_data(article, comment="Par le worker.", email="redaction@example.org"),
        HTTP_HOST="localhost:8080",
    )

    assert response.status_code == 302
    assert "comments.tasks.notify_authors" in DBTaskResult.objects.values_list("task_path", flat=True)
    assert smtp_sink.messages == []
    database_tasks()
    ((recipients, message),) = smtp_sink.messages
    assert recipients == [article.author.email]
    assert str(message["Subject"]).strip() == subject(article)
    body = message.get_body(("plain",)).get_content()
    assert "Par le worker." in body
    assert f"http://localhost:8080{article.get_absolute_url()}" in body
    assert "http://localhost:8080/admin/" in body
    assert "localhost:8080" in message.get_body(("html",)).get_content()


def test_the_worker_sends_nothing_for_a_comment_removed_in_the_meantime(client, article, database_tasks):
    client.force_login(StaffFactory(username="redaction", email="redaction@example.org"))
    post_as(client, comment_data(article, comment="Vite retiré.", email="redaction@example.org"))
    XtdComment.objects.filter(comment="Vite retiré.").update(is_removed=True)
    database_tasks()
    assert mail.outbox == []


# Switching it off: the author's own account page, and the admin
# ------------------------------------------------------------------------------

ACCOUNT = "/admin/securite/"


def account_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("factory", [AuthorUserFactory, EditorUserFactory])
def test_an_author_or_editor_switches_the_e_mails_off_and_on_themselves(factory, post_comment, client):
    user = factory(username="plume", email="plume@example.org")
    AuthorProfile.objects.create(user=user, display_name="Plume")
    own = account_client(user)

    assert " checked" in checkbox(own.get(ACCOUNT).content.decode())

    response = own.post(reverse("accounts:comment_emails"), {})
    assert response.status_code == 302
    assert response["Location"] == f"{ACCOUNT}#comment-emails"
    assert AuthorProfile.objects.get(user=user).notify_on_comment is False
    assert " checked" not in checkbox(own.get(ACCOUNT).content.decode())

    article = ArticleFactory(author=user)
    trusted_reader(client, article)
    post_comment(article, name="", email="", comment="Pas de mail")
    assert mail.outbox == []

    own.post(reverse("accounts:comment_emails"), {"notify_on_comment": "on"})
    assert AuthorProfile.objects.get(user=user).notify_on_comment is True


def test_the_choice_creates_the_missing_profile_with_the_author_s_name():
    user = EditorUserFactory(username="nouvelle", first_name="Inès", last_name="Roy")
    account_client(user).post(reverse("accounts:comment_emails"), {})
    profile = AuthorProfile.objects.get(user=user)
    assert (profile.display_name, profile.notify_on_comment) == ("Inès Roy", False)


def test_the_choice_page_takes_posts_of_signed_in_staff_only(client):
    url = reverse("accounts:comment_emails")
    assert client.post(url, {}).status_code == 302
    assert client.post(url, {})["Location"].startswith(reverse("admin:login"))
    assert account_client(ModeratorUserFactory(username="moderatrice")).get(url).status_code == 405
    reader = UserFactory(username="lectrice")
    account_client(reader).post(url, {})
    assert not AuthorProfile.objects.filter(user=reader).exists()


def test_one_cannot_change_another_author_s_choice():
    other = AuthorProfile.objects.create(user=UserFactory(username="autre"), display_name="Autre")
    user = AuthorUserFactory(username="plume")
    account_client(user).post(reverse("accounts:comment_emails"), {"user": str(other.user.pk)})
    other.refresh_from_db()
    assert other.notify_on_comment is True


def test_the_admin_forms_show_the_choice(staff_client):
    profile = AuthorProfile.objects.create(user=UserFactory(username="plume"), display_name="Plume")
    page = staff_client.get(reverse("admin:blog_authorprofile_change", args=[profile.pk])).content.decode()
    assert 'name="notify_on_comment"' in page
    page = staff_client.get(reverse("admin:auth_user_change", args=[profile.user.pk])).content.decode()
    assert 'name="profile-0-notify_on_comment"' in page


def test_co_authors_are_told_too_each_by_their_own_choice(client, article, post_comment):
    from blog.models import ArticleAuthor
    from tests.factories import AuthorProfileFactory

    keen = AuthorProfileFactory().user
    quiet = AuthorProfileFactory(notify_on_comment=False).user
    ArticleAuthor.objects.create(article=article, user=keen, position=1)
    ArticleAuthor.objects.create(article=article, user=quiet, position=2)
    trusted_reader(client, article)

    post_comment(article, name="", email="", comment="Pour toute l'équipe.")

    assert sorted(message.to[0] for message in mail.outbox) == sorted([article.author.email, keen.email])
