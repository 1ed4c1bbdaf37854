"""Posting comments and replies, as an anonymous reader (with e-mail confirmation) or logged in."""

import html
import re

import pytest
from django.core import mail
from django.utils.translation import gettext
from django_comments_xtd.models import XtdComment

from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _trust_everyone(settings):
    """Most tests here are about posting; the first-comment rule has its own tests."""
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False


def confirmation_link(message):
    return re.search(r"https?://[^/\s]+(/commentaires/confirm/[^\s]+/)", message.body)


def test_anonymous_comment_waits_for_email_confirmation(client, article, post_comment):
    response = post_comment(article, follow=True)

    assert response.redirect_chain[-1][0] == f"{article.get_absolute_url()}#comments"
    assert "nous vous avons envoyé un e-mail" in response.content.decode()
    assert not XtdComment.objects.exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zoe@example.org"]
    assert article.title in message.subject
    assert "Merci pour cet article très clair." in message.body


def test_confirmation_link_uses_the_readers_address_and_publishes_the_comment(
    client, article, post_comment, settings
):
    settings.COMMENTS_LINK_SCHEME = "https"
    post_comment(article)
    body = mail.outbox[0].body
    assert "example.com" not in body
    assert "https://testserver/commentaires/confirm/" in body

    response = client.get(confirmation_link(mail.outbox[0]).group(1), follow=True)

    comment = XtdComment.objects.get()
    assert comment.is_public and not comment.is_removed
    assert response.redirect_chain[-1][0] == f"{article.get_absolute_url()}#c{comment.pk}"
    assert "Merci pour cet article très clair." in response.content.decode()


def test_confirming_twice_creates_one_comment(client, article, post_comment):
    post_comment(article)
    link = confirmation_link(mail.outbox[0]).group(1)
    client.get(link)
    response = client.get(link)
    assert response.status_code == 302
    assert XtdComment.objects.count() == 1


def test_a_forged_confirmation_link_is_refused_with_a_message(client, article, post_comment):
    post_comment(article)
    link = confirmation_link(mail.outbox[0]).group(1)
    forged = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    response = client.get(forged)
    assert response.status_code == 400
    assert "lien de confirmation n’est pas valide" in response.content.decode()
    assert not XtdComment.objects.exists()


def test_confirmation_after_the_thread_closed_is_refused(client, article, post_comment):
    post_comment(article)
    article.comments_enabled = False
    article.save()
    response = client.get(confirmation_link(mail.outbox[0]).group(1))
    assert response.status_code == 400
    assert "fermés" in response.content.decode()
    assert not XtdComment.objects.exists()


def test_logged_in_reader_posts_directly_under_their_name(client, article, post_comment):
    reader = UserFactory(username="lea", first_name="Léa", last_name="Rousseau", email="lea@example.org")
    client.force_login(reader)

    response = post_comment(article, name="", email="")

    comment = XtdComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#c{comment.pk}"
    assert comment.user == reader
    assert comment.user_name == "Léa Rousseau"
    assert comment.user_email == "lea@example.org"
    assert comment.is_public
    # The article's author is told (see test_author_notifications.py); the writer is not.
    assert [message.to for message in mail.outbox] == [[article.author.email]]


def test_the_article_author_is_marked_as_such(client, article, post_comment):
    client.force_login(article.author)
    post_comment(article, name="", email="", comment="Merci à tous pour vos retours !")
    CommentFactory(article=article, comment="Un lecteur répond.")

    html = client.get(article.get_absolute_url()).content.decode()

    assert html.count("comment--author") == 1
    assert 'class="comment__badge"' in html


@pytest.mark.parametrize("parent_level", [0, 1, 2])
def test_replies_nest_under_their_parent_at_each_level(client, article, post_comment, parent_level):
    parent = CommentFactory(article=article)
    for _ in range(parent_level):
        parent = CommentFactory(article=article, parent_id=parent.pk)
    assert parent.level == parent_level
    client.force_login(UserFactory())

    post_comment(article, name="", email="", reply_to=str(parent.pk), comment="Je réponds.")

    reply = XtdComment.objects.get(comment="Je réponds.")
    assert reply.parent_id == parent.pk
    assert reply.level == parent_level + 1
    html = client.get(article.get_absolute_url()).content.decode()
    parent_start = html.index(f'id="c{parent.pk}"')
    assert parent_start < html.index(f'id="c{reply.pk}"')
    assert html.count("comment-list--nested") == parent_level + 1


def test_a_reply_deeper_than_the_maximum_is_refused_without_orphan(client, article, post_comment):
    parent = CommentFactory(article=article)
    for _ in range(3):
        parent = CommentFactory(article=article, parent_id=parent.pk)
    assert parent.level == 3
    client.force_login(UserFactory())

    response = post_comment(article, name="", email="", reply_to=str(parent.pk), comment="Trop profond.")

    assert response.status_code == 400
    assert "atteint la profondeur maximale" in response.content.decode()
    assert not XtdComment.objects.filter(comment="Trop profond.").exists()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f"?reply_to={parent.pk}" not in html


@pytest.mark.parametrize("reply_to", ["999999", "-1"])
def test_a_reply_to_a_missing_comment_is_a_form_error_not_a_500(client, article, post_comment, reply_to):
    client.force_login(UserFactory())
    response = post_comment(article, name="", email="", reply_to=reply_to, comment="Orphelin ?")
    assert response.status_code == 400
    assert not XtdComment.objects.filter(comment="Orphelin ?").exists()


def test_a_reply_to_a_comment_of_another_article_is_refused(client, article, post_comment):
    elsewhere = CommentFactory(article=ArticleFactory())
    client.force_login(UserFactory())
    response = post_comment(article, name="", email="", reply_to=str(elsewhere.pk), comment="Hors sujet")
    assert response.status_code == 400
    assert "n’est plus visible" in response.content.decode()
    assert not XtdComment.objects.filter(comment="Hors sujet").exists()


def test_a_reply_to_a_comment_awaiting_moderation_is_refused(client, article, post_comment):
    pending = CommentFactory(article=article, is_public=False)
    client.force_login(UserFactory())
    response = post_comment(article, name="", email="", reply_to=str(pending.pk), comment="Réponse")
    assert response.status_code == 400
    assert not XtdComment.objects.filter(comment="Réponse").exists()


def test_without_javascript_the_reply_link_opens_the_form_under_the_comment(client, article):
    parent = CommentFactory(article=article, user_name="Marc")
    html = client.get(f"{article.get_absolute_url()}?reply_to={parent.pk}").content.decode()
    comment_start = html.index(f'id="c{parent.pk}"')
    form_start = html.index('id="comment-form"')
    assert comment_start < form_start < html.index('id="comment-form-home"')
    assert f'name="reply_to" value="{parent.pk}"' in html
    assert "Répondre à Marc" in html


def test_a_stale_reply_link_shows_the_new_comment_form(client, article):
    html = client.get(f"{article.get_absolute_url()}?reply_to=424242").content.decode()
    assert 'name="reply_to" value="0"' in html


def test_the_stock_reply_page_leads_to_the_form_under_the_comment(client, article):
    parent = CommentFactory(article=article)
    response = client.get(f"/commentaires/reply/{parent.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}?reply_to={parent.pk}#comment-form"


def test_the_stock_rest_api_is_not_reachable(client, article, comment_data):
    response = client.post("/commentaires/api/comment/", comment_data(article))
    assert response.status_code == 404
    assert not XtdComment.objects.exists()


def test_posting_to_a_draft_is_refused(client, post_comment):
    draft = ArticleFactory(draft=True)
    response = post_comment(draft)
    assert response.status_code == 400
    assert mail.outbox == []


def test_posting_to_another_model_is_refused(client, article, comment_data):
    data = comment_data(article, content_type="auth.user")
    response = client.post("/commentaires/post/", data)
    assert response.status_code == 400
    assert not XtdComment.objects.exists()


def test_posting_needs_post(client):
    assert client.get("/commentaires/post/").status_code == 405


# Follow-up notifications
# ------------------------------------------------------------------------------


def test_followers_get_an_email_with_a_one_click_unsubscribe(client, article, post_comment):
    CommentFactory(article=article, user_email="suivi@example.org", user_name="Suivi", followup=True)
    CommentFactory(article=article, user_email="muet@example.org", followup=False)
    client.force_login(UserFactory(email="auteur@example.org"))

    post_comment(article, name="", email="", comment="Une nouvelle réponse.")

    # The follower's e-mail, then the article's author's.
    assert [message.to for message in mail.outbox] == [["suivi@example.org"], [article.author.email]]
    body = mail.outbox[0].body
    assert "Une nouvelle réponse." in body
    unsubscribe = re.search(r"https?://[^/\s]+(/commentaires/mute/[^\s]+/)", body).group(1)
    assert mail.outbox[0].extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe}>")

    response = client.get(unsubscribe)

    assert response.status_code == 200
    assert html.escape(gettext("You are unsubscribed")) in response.content.decode()
    assert not XtdComment.objects.filter(user_email="suivi@example.org", followup=True).exists()
    mail.outbox.clear()
    post_comment(article, name="", email="", comment="Encore une.")
    assert [message.to for message in mail.outbox] == [[article.author.email]]


def test_the_writer_is_not_notified_of_their_own_comment(client, article, post_comment):
    reader = UserFactory(email="moi@example.org")
    CommentFactory(article=article, user_email="moi@example.org", followup=True)
    client.force_login(reader)
    post_comment(article, name="", email="", comment="Je me réponds.")
    assert "moi@example.org" not in [address for message in mail.outbox for address in message.to]


def test_a_forged_unsubscribe_link_is_refused(client):
    response = client.get("/commentaires/mute/not-a-valid-key/")
    assert response.status_code == 400
    assert "lien de désabonnement n’est pas valide" in response.content.decode()


def test_a_comment_awaiting_moderation_notifies_nobody_but_the_moderators(
    client, article, post_comment, settings, staff_user
):
    settings.COMMENTS_MODERATION = "pre"
    CommentFactory(article=article, user_email="suivi@example.org", followup=True)
    client.force_login(UserFactory(email="lecteur@example.org"))

    response = post_comment(article, name="", email="", follow=True)

    html = response.content.decode()
    assert "en attente de modération" in html or "dès qu’un modérateur l’aura approuvé" in html
    assert [message.to for message in mail.outbox] == [[staff_user.email]]
    assert "/admin/django_comments_xtd/xtdcomment/" in mail.outbox[0].body


def test_a_logged_in_reader_cannot_post_under_another_name(client, article, post_comment):
    client.force_login(UserFactory(first_name="Léa", last_name="Rousseau", email="lea@example.org"))
    post_comment(article, name=article.author_name, email="")
    assert XtdComment.objects.get().user_name == "Léa Rousseau"


def test_the_same_comment_posted_twice_before_confirming_is_created_once(client, article, post_comment):
    post_comment(article)
    post_comment(article)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        client.get(confirmation_link(message).group(1))
    assert XtdComment.objects.count() == 1
