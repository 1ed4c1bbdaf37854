"""Moderation: the policy that holds comments, the states, who sees what, and the moderators' admin."""

import html

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils.translation import gettext
from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment

from comments import selectors, services
from comments.models import ModerationPolicy
from tests.factories import ArticleFactory, CommentFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/django_comments_xtd/xtdcomment/"


# The policy
# ------------------------------------------------------------------------------


def test_a_first_time_commenter_waits_for_moderation(client, article, post_comment):
    client.force_login(UserFactory(email="nouvelle@example.org"))
    response = post_comment(article, name="", email="", follow=True)
    comment = XtdComment.objects.get()
    assert not comment.is_public and not comment.is_removed
    assert "dès qu’un modérateur l’aura approuvé" in response.content.decode()


def test_an_address_with_an_approved_comment_is_trusted(client, article, post_comment):
    CommentFactory(article=ArticleFactory(), user_email="Fidele@Example.org")
    client.force_login(UserFactory(email="fidele@example.org"))
    post_comment(article, name="", email="", comment="Me revoilà.")
    assert XtdComment.objects.get(comment="Me revoilà.").is_public


def test_an_address_whose_only_comment_was_spam_is_not_trusted(client, article, post_comment, staff_user):
    spam = CommentFactory(article=article, user_email="spam@example.org")
    services.comments_mark_spam(comments=XtdComment.objects.filter(pk=spam.pk), moderator=staff_user)
    client.force_login(UserFactory(email="spam@example.org"))
    post_comment(article, name="", email="", comment="Encore moi.")
    assert not XtdComment.objects.get(comment="Encore moi.").is_public


def test_anonymous_first_comment_is_held_after_confirmation(client, article, post_comment):
    import re

    post_comment(article)
    link = re.search(r"(/commentaires/confirm/[^\s]+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert not XtdComment.objects.get().is_public
    thanks = (
        "Thank you, your comment is confirmed. As announced, it will appear once a moderator approves it."
    )
    assert html.escape(gettext(thanks)) in response.content.decode()


def test_site_wide_pre_moderation_holds_everything_but_staff(client, article, post_comment, settings):
    settings.COMMENTS_MODERATION = "pre"
    CommentFactory(article=article, user_email="fidele@example.org")
    client.force_login(UserFactory(email="fidele@example.org"))
    post_comment(article, name="", email="", comment="Texte")
    assert not XtdComment.objects.get(comment="Texte").is_public

    client.force_login(StaffFactory())
    post_comment(article, name="", email="", comment="Texte du staff")
    assert XtdComment.objects.get(comment="Texte du staff").is_public


def test_an_article_can_hold_every_comment(client, article, post_comment):
    ModerationPolicy.objects.create(article=article, moderation=ModerationPolicy.Moderation.PRE)
    CommentFactory(article=ArticleFactory(), user_email="fidele@example.org")
    client.force_login(UserFactory(email="fidele@example.org"))
    post_comment(article, name="", email="", comment="Texte")
    assert not XtdComment.objects.get(comment="Texte").is_public


def test_the_article_author_is_never_held(client, article, post_comment):
    client.force_login(article.author)
    post_comment(article, name="", email="", comment="Réponse de l'auteur")
    assert XtdComment.objects.get().is_public


def test_moderators_are_emailed_only_when_the_setting_is_on(
    client, article, post_comment, settings, staff_user
):
    client.force_login(UserFactory(email="nouvelle@example.org"))
    post_comment(article, name="", email="", comment="Premier")
    assert [m.to for m in mail.outbox] == [[staff_user.email]]
    assert "Premier" in mail.outbox[0].body

    mail.outbox.clear()
    settings.COMMENTS_NOTIFY_MODERATORS = False
    post_comment(article, name="", email="", comment="Second")
    assert mail.outbox == []


def test_moderation_recipients_are_active_staff_allowed_to_moderate():
    allowed = StaffFactory(is_superuser=False, email="mod@example.org")
    allowed.user_permissions.add(Permission.objects.get(codename="change_xtdcomment"))
    StaffFactory(is_superuser=False, email="editor@example.org")
    StaffFactory(email="boss@example.org")
    StaffFactory(email="gone@example.org", is_active=False)
    UserFactory(email="reader@example.org")
    assert selectors.moderation_recipients() == ["boss@example.org", "mod@example.org"]


# Who sees what
# ------------------------------------------------------------------------------


def test_readers_see_public_comments_only(client, article):
    CommentFactory(article=article, comment="Visible")
    CommentFactory(article=article, comment="En attente", is_public=False)
    CommentFactory(article=article, comment="Supprimé", is_removed=True)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Visible" in html
    assert "En attente" not in html
    assert "Supprimé" not in html
    assert "1 commentaire sur" in html


def test_a_removed_comment_with_replies_leaves_a_placeholder(client, article):
    parent = CommentFactory(article=article, comment="Message supprimé")
    CommentFactory(article=article, parent_id=parent.pk, comment="La réponse reste")
    XtdComment.objects.filter(pk=parent.pk).update(is_removed=True)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Message supprimé" not in html
    assert "Ce commentaire a été retiré." in html
    assert "La réponse reste" in html
    assert "1 commentaire sur" in html


def test_replies_to_a_hidden_comment_are_hidden_too(client, article):
    parent = CommentFactory(article=article, comment="Parent")
    CommentFactory(article=article, parent_id=parent.pk, comment="Enfant")
    XtdComment.objects.filter(pk=parent.pk).update(is_public=False)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Enfant" not in html


def test_counts_on_lists_show_public_comments_only(client, article):
    CommentFactory.create_batch(2, article=article)
    CommentFactory(article=article, is_public=False)
    CommentFactory(article=article, is_removed=True)
    other = ArticleFactory()
    CommentFactory(article=other)
    html = client.get("/").content.decode()
    assert f'{article.get_absolute_url()}#comments">2 commentaires' in html
    assert f'{other.get_absolute_url()}#comments">1 comment' in html


# Services
# ------------------------------------------------------------------------------


def test_approving_publishes_and_notifies_followers(article, staff_user, django_capture_on_commit_callbacks):
    CommentFactory(article=article, user_email="suivi@example.org", followup=True)
    pending = CommentFactory(article=article, is_public=False, comment="Enfin validé")
    with django_capture_on_commit_callbacks(execute=True):
        count = services.comments_approve(
            comments=XtdComment.objects.filter(pk=pending.pk), moderator=staff_user
        )
    pending.refresh_from_db()
    assert count == 1
    assert pending.is_public and not pending.is_removed
    assert [m.to for m in mail.outbox] == [["suivi@example.org"], [article.author.email]]
    assert "Enfin validé" in mail.outbox[0].body


def test_removing_keeps_replies_as_they_are(article, staff_user):
    parent = CommentFactory(article=article)
    reply = CommentFactory(article=article, parent_id=parent.pk)
    services.comments_remove(comments=XtdComment.objects.filter(pk=parent.pk), moderator=staff_user)
    parent.refresh_from_db()
    reply.refresh_from_db()
    assert parent.is_removed
    assert reply.is_public and not reply.is_removed
    assert CommentFlag.objects.filter(comment=parent, flag=CommentFlag.MODERATOR_DELETION).exists()


def test_spam_is_removed_hidden_and_flagged_and_approval_undoes_it(article, staff_user):
    comment = CommentFactory(article=article)
    services.comments_mark_spam(comments=XtdComment.objects.filter(pk=comment.pk), moderator=staff_user)
    comment.refresh_from_db()
    assert comment.is_removed and not comment.is_public
    assert list(selectors.spam_comments()) == [comment]

    services.comments_approve(comments=XtdComment.objects.filter(pk=comment.pk), moderator=staff_user)
    comment.refresh_from_db()
    assert comment.is_public and not comment.is_removed
    assert not selectors.spam_comments().exists()


def test_awaiting_moderation_selector(article):
    pending = CommentFactory(article=article, is_public=False)
    CommentFactory(article=article)
    CommentFactory(article=article, is_public=False, is_removed=True)
    assert list(selectors.comments_awaiting_moderation()) == [pending]


# The admin
# ------------------------------------------------------------------------------


def test_the_queue_lists_comments_with_a_link_to_their_article(
    staff_client, article, django_assert_max_num_queries
):
    CommentFactory.create_batch(30, article=article)
    CommentFactory.create_batch(5, article=ArticleFactory(), is_public=False)
    with django_assert_max_num_queries(14):
        response = staff_client.get(CHANGELIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "5 en attente de modération" in html
    assert f'href="{article.get_absolute_url()}#c' in html


@pytest.mark.parametrize(
    ("state", "expected"),
    [("pending", {"attente"}), ("public", {"public", "signalé"}), ("removed", {"supprimé", "spam"}),
     ("spam", {"spam"}), ("flagged", {"signalé"})],
)  # fmt: skip
def test_the_queue_filters_by_state(staff_client, staff_user, article, state, expected):
    CommentFactory(article=article, comment="attente", is_public=False)
    CommentFactory(article=article, comment="public")
    CommentFactory(article=article, comment="supprimé", is_removed=True)
    spam = CommentFactory(article=article, comment="spam")
    services.comments_mark_spam(comments=XtdComment.objects.filter(pk=spam.pk), moderator=staff_user)
    flagged = CommentFactory(article=article, comment="signalé")
    CommentFlag.objects.create(
        comment=flagged, user=UserFactory(), flag=CommentFlag.SUGGEST_REMOVAL, flag_date=flagged.submit_date
    )
    response = staff_client.get(CHANGELIST, {"state": state})
    shown = {comment.comment for comment in response.context["cl"].result_list}
    assert shown == expected


def test_the_queue_filters_by_article_and_searches(staff_client, article):
    CommentFactory(article=article, user_name="Alice", comment="Sur le premier")
    CommentFactory(
        article=ArticleFactory(), user_name="Bruno", user_email="bruno@example.org", comment="Ailleurs"
    )
    by_article = staff_client.get(CHANGELIST, {"article": str(article.pk)})
    assert [c.comment for c in by_article.context["cl"].result_list] == ["Sur le premier"]
    for term in ("Bruno", "bruno@example.org", "Ailleurs"):
        found = staff_client.get(CHANGELIST, {"q": term})
        assert [c.comment for c in found.context["cl"].result_list] == ["Ailleurs"]


@pytest.mark.parametrize(
    ("action", "is_public", "is_removed"),
    [("approve", True, False), ("remove", False, True), ("mark_spam", False, True)],
)
def test_bulk_actions(staff_client, article, action, is_public, is_removed):
    comments = CommentFactory.create_batch(3, article=article, is_public=False)
    response = staff_client.post(
        CHANGELIST, {"action": action, "_selected_action": [c.pk for c in comments]}, follow=True
    )
    assert response.status_code == 200
    assert "3 commentaires" in response.content.decode()
    for comment in comments:
        comment.refresh_from_db()
        assert (comment.is_public, comment.is_removed) == (is_public, is_removed)


def test_the_comment_change_page_opens(staff_client, article):
    comment = CommentFactory(article=article)
    assert staff_client.get(f"{CHANGELIST}{comment.pk}/change/").status_code == 200


def test_the_article_list_shows_comments_awaiting_moderation(
    staff_client, article, django_assert_max_num_queries
):
    CommentFactory.create_batch(2, article=article, is_public=False)
    ArticleFactory.create_batch(5)
    with django_assert_max_num_queries(14):
        response = staff_client.get("/admin/blog/article/")
    html = response.content.decode()
    assert f'?state=pending&amp;article={article.pk}">2</a>' in html


def test_the_moderation_rule_admin_opens(staff_client, article):
    ModerationPolicy.objects.create(article=article)
    assert staff_client.get("/admin/comments/moderationpolicy/").status_code == 200
    assert staff_client.get("/admin/comments/moderationpolicy/add/").status_code == 200


def test_every_visible_change_is_announced_after_commit(
    client, article, post_comment, staff_user, django_capture_on_commit_callbacks
):
    from comments.signals import discussion_changed

    received = []

    def receiver(sender, article_ids, **kwargs):
        received.append(article_ids)

    discussion_changed.connect(receiver)
    try:
        CommentFactory(article=ArticleFactory(), user_email="fidele@example.org")
        client.force_login(UserFactory(email="fidele@example.org"))
        post_comment(article, name="", email="")
        comment = XtdComment.objects.get(content_type__model="article", object_pk=str(article.pk))
        for service in (services.comments_remove, services.comments_approve, services.comments_mark_spam):
            with django_capture_on_commit_callbacks(execute=True):
                service(comments=XtdComment.objects.filter(pk=comment.pk), moderator=staff_user)
    finally:
        discussion_changed.disconnect(receiver)
    assert received == [{article.pk}] * 4


# Reports from readers
# ------------------------------------------------------------------------------


def test_a_logged_in_reader_reports_a_comment_for_the_moderators(client, staff_client, article):
    comment = CommentFactory(article=article, comment="Propos douteux")
    reader = UserFactory()
    reader_client = type(client)()
    reader_client.force_login(reader)
    article_page = reader_client.get(article.get_absolute_url()).content.decode()
    assert f"/commentaires/signaler/{comment.pk}/" in article_page

    page = reader_client.get(f"/commentaires/signaler/{comment.pk}/")
    assert "Propos douteux" in page.content.decode()
    response = reader_client.post(f"/commentaires/signaler/{comment.pk}/", follow=True)
    reader_client.post(f"/commentaires/signaler/{comment.pk}/")

    assert response.redirect_chain[-1][0] == f"{article.get_absolute_url()}#c{comment.pk}"
    assert "un modérateur va examiner ce commentaire" in response.content.decode()
    assert CommentFlag.objects.filter(comment=comment, user=reader).count() == 1
    queue = staff_client.get(CHANGELIST, {"state": "flagged"})
    assert [c.pk for c in queue.context["cl"].result_list] == [comment.pk]


def test_anonymous_readers_see_no_report_link_and_must_log_in(client, article):
    comment = CommentFactory(article=article)
    assert "/commentaires/signaler/" not in client.get(article.get_absolute_url()).content.decode()
    response = client.post(f"/commentaires/signaler/{comment.pk}/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not CommentFlag.objects.exists()


def test_a_comment_awaiting_moderation_cannot_be_reported(client, article, reader):
    comment = CommentFactory(article=article, is_public=False)
    client.force_login(reader)
    assert client.post(f"/commentaires/signaler/{comment.pk}/").status_code == 404
