"""Moderating where the comments are: the queue's row buttons, its context and replies from the admin."""

import html
import json

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.text import Truncator
from django.utils.translation import gettext
from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment

from comments import services
from tests.factories import (
    AuthorUserFactory,
    CommentFactory,
    EditorUserFactory,
    ModeratorUserFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/django_comments_xtd/xtdcomment/"


def moderate_url(comment, action):
    return f"{CHANGELIST}{comment.pk}/moderate/{action}/"


def reply_url(comment):
    return f"{CHANGELIST}{comment.pk}/reply/"


def state_of(comment):
    comment.refresh_from_db()
    spam = CommentFlag.objects.filter(comment=comment, flag="spam").exists()
    return (comment.is_public, comment.is_removed, spam)


def page_text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def moderator(db):
    return ModeratorUserFactory(username="moderatrice", first_name="Maud", last_name="Modère")


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


# The row buttons
# ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "initial", "expected", "done"),
    [
        ("approve", {"is_public": False}, (True, False, False), "The comment by %(name)s is approved."),
        ("spam", {"is_public": False}, (False, True, True), "The comment by %(name)s is marked as spam."),
        ("remove", {}, (True, True, False), "The comment by %(name)s is removed."),
    ],
)
def test_each_row_button_moderates_and_comes_back_to_the_filtered_queue(
    moderator_client, article, action, initial, expected, done
):
    comment = CommentFactory(article=article, user_name="Zoé", **initial)
    back = f"{CHANGELIST}?state=pending&article={article.pk}"

    response = moderator_client.post(moderate_url(comment, action), {"next": back})

    assert response.status_code == 302
    assert response["Location"] == back
    assert state_of(comment) == expected
    queue = moderator_client.get(back)
    assert gettext(done) % {"name": "Zoé"} in page_text(queue)


def test_a_spam_comment_approved_from_its_row_loses_its_spam_flag(moderator_client, moderator, article):
    comment = CommentFactory(article=article)
    services.comments_mark_spam(comments=XtdComment.objects.filter(pk=comment.pk), moderator=moderator)
    moderator_client.post(moderate_url(comment, "approve"))
    assert state_of(comment) == (True, False, False)


def test_a_row_offers_only_the_buttons_its_state_allows(moderator_client, moderator, article):
    pending = CommentFactory(article=article, is_public=False)
    public = CommentFactory(article=article)
    spam = CommentFactory(article=article)
    services.comments_mark_spam(comments=XtdComment.objects.filter(pk=spam.pk), moderator=moderator)
    removed = CommentFactory(article=article, is_removed=True)

    page = moderator_client.get(CHANGELIST).content.decode()

    offered = {
        (comment, action)
        for comment in (pending, public, spam, removed)
        for action in ("approve", "spam", "remove")
        if f'formaction="{moderate_url(comment, action)}"' in page
    }
    assert offered == {
        (pending, "approve"), (pending, "spam"), (pending, "remove"),
        (public, "spam"), (public, "remove"),
        (spam, "approve"),
        (removed, "approve"), (removed, "spam"),
    }  # fmt: skip


def test_the_buttons_post_with_the_queue_s_csrf_token(article):
    """The row buttons submit the queue's own form (forms cannot nest): its token protects them."""
    comment = CommentFactory(article=article, is_public=False)
    client = Client(enforce_csrf_checks=True)
    client.force_login(ModeratorUserFactory())
    assert client.post(moderate_url(comment, "approve")).status_code == 403
    assert state_of(comment) == (False, False, False)

    page = client.get(CHANGELIST).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(moderate_url(comment, "approve"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert state_of(comment) == (True, False, False)


def test_the_script_gets_the_new_state_and_buttons_and_no_message_is_left_for_later(
    moderator_client, article
):
    comment = CommentFactory(article=article, user_name="Zoé", is_public=False)

    response = moderator_client.post(
        moderate_url(comment, "approve"), {"next": CHANGELIST}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["state"] == "public"
    assert data["level"] == "success"
    assert data["message"] == gettext("The comment by %(name)s is approved.") % {"name": "Zoé"}
    assert "status--public" in data["state_html"]
    assert moderate_url(comment, "approve") not in data["controls_html"]
    assert moderate_url(comment, "spam") in data["controls_html"]
    assert "moderation-reply" in data["controls_html"], "a public comment can now be answered"
    assert data["message"] not in page_text(moderator_client.get(CHANGELIST))


def test_a_second_click_says_nothing_changed(moderator_client, article):
    comment = CommentFactory(article=article, user_name="Zoé", is_removed=True)
    services.comments_remove(comments=XtdComment.objects.filter(pk=comment.pk), moderator=StaffFactory())
    response = moderator_client.post(moderate_url(comment, "remove"), HTTP_ACCEPT="application/json")
    data = json.loads(response.content)
    assert data["level"] == "info"
    assert data["message"] == (
        gettext("The comment by %(name)s was already in that state: nothing changed.") % {"name": "Zoé"}
    )


def test_a_row_action_is_written_in_the_comment_s_history(moderator_client, article):
    comment = CommentFactory(article=article, is_public=False)
    moderator_client.post(moderate_url(comment, "approve"))
    history = moderator_client.get(f"{CHANGELIST}{comment.pk}/history/")
    assert gettext("The comment by %(name)s is approved.") % {"name": comment.user_name} in page_text(history)


# Who may, and bad requests
# ------------------------------------------------------------------------------


@pytest.fixture
def viewer_client(db):
    """Staff who may read the queue but not change comments."""
    viewer = AuthorUserFactory(username="lectrice-du-staff")
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_xtdcomment", content_type__app_label="django_comments_xtd")
    )
    client = Client()
    client.force_login(viewer)
    return client


@pytest.mark.parametrize("action", ["approve", "spam", "remove"])
def test_staff_without_the_change_permission_are_refused(viewer_client, article, action):
    comment = CommentFactory(article=article, is_public=False)
    assert viewer_client.post(moderate_url(comment, action)).status_code == 403
    assert viewer_client.post(reply_url(comment), {f"reply-{comment.pk}-comment": "Non."}).status_code == 403
    assert state_of(comment) == (False, False, False)
    assert XtdComment.objects.count() == 1


def test_staff_who_may_only_read_the_queue_see_no_buttons(viewer_client, article):
    comment = CommentFactory(article=article, is_public=False)
    page = viewer_client.get(CHANGELIST)
    assert page.status_code == 200
    assert "/moderate/" not in page.content.decode()
    assert reply_url(comment) not in page.content.decode()


def test_staff_outside_moderation_are_refused(article):
    comment = CommentFactory(article=article, is_public=False)
    client = Client()
    client.force_login(AuthorUserFactory())
    assert client.post(moderate_url(comment, "approve")).status_code == 403
    assert state_of(comment) == (False, False, False)


def test_anonymous_visitors_are_sent_to_the_login_page(client, article):
    comment = CommentFactory(article=article, is_public=False)
    response = client.post(moderate_url(comment, "approve"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert state_of(comment) == (False, False, False)


@pytest.mark.parametrize("object_id", ["999999", "abc", "0", "9" * 30, "-1"])
@pytest.mark.parametrize("view", ["moderate/approve", "reply"])
def test_bad_comment_ids_are_not_found(moderator_client, article, object_id, view):
    CommentFactory(article=article)
    response = moderator_client.post(f"{CHANGELIST}{object_id}/{view}/", {"next": CHANGELIST})
    assert response.status_code == 404


def test_an_unknown_action_is_not_found(moderator_client, article):
    comment = CommentFactory(article=article, is_public=False)
    assert moderator_client.post(moderate_url(comment, "publish")).status_code == 404
    assert state_of(comment) == (False, False, False)


def test_moderating_needs_a_post(moderator_client, article):
    comment = CommentFactory(article=article, is_public=False)
    assert moderator_client.get(moderate_url(comment, "approve")).status_code == 405
    assert state_of(comment) == (False, False, False)


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/admin/", "//evil.example/", "http://evil.example", "javascript:alert(1)", ""],
)
def test_a_next_address_off_the_site_is_ignored(moderator_client, article, next_url):
    comment = CommentFactory(article=article, is_public=False)
    response = moderator_client.post(
        f"{moderate_url(comment, 'approve')}?_changelist_filters=state%3Dpending", {"next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}?state=pending"


# Context: the article, and the comment a reply answers
# ------------------------------------------------------------------------------


def test_a_reply_s_row_quotes_the_start_of_the_comment_it_answers(moderator_client, article):
    parent = CommentFactory(article=article, user_name="Bruno", comment="Je ne suis pas d’accord. " * 10)
    CommentFactory(article=article, parent_id=parent.pk, is_public=False)

    page = page_text(moderator_client.get(CHANGELIST))

    line = gettext("In reply to {name}: “{start}”").format(
        name="Bruno", start=Truncator(parent.comment).chars(80)
    )
    assert line in page
    assert len(Truncator(parent.comment).chars(80)) == 80, "only its start"
    assert page.count(gettext("In reply to {name}: “{start}”").split("{")[0]) == 1, (
        "the top comment answers nobody"
    )


def test_the_article_links_to_its_page_and_to_its_admin_page_for_who_may_open_it(client, article):
    comment = CommentFactory(article=article)
    editor, moderator = EditorUserFactory(), ModeratorUserFactory()
    moderator.groups.add(*editor.groups.all())  # an editor who also moderates
    only_moderator = ModeratorUserFactory()

    client.force_login(moderator)
    page = client.get(CHANGELIST).content.decode()
    assert f'href="{article.get_absolute_url()}#c{comment.pk}"' in page
    assert f'href="/admin/blog/article/{article.pk}/change/"' in page

    client.force_login(only_moderator)
    page = client.get(CHANGELIST).content.decode()
    assert f'href="{article.get_absolute_url()}#c{comment.pk}"' in page
    assert "/admin/blog/article/" not in page


def test_the_queue_with_its_context_costs_the_same_queries_for_any_number_of_rows(
    moderator_client, article, django_assert_max_num_queries
):
    def add_conversations(count):
        for root in CommentFactory.create_batch(count, article=article):
            CommentFactory(article=article, parent_id=root.pk, is_public=False)

    def queries_of_the_queue():
        with CaptureQueriesContext(connection) as queries:
            response = moderator_client.get(CHANGELIST)
        assert response.status_code == 200
        return len(queries), len(response.context["cl"].result_list)

    add_conversations(2)
    queries_of_the_queue()  # the first request also fills per-process caches (content types)
    few = queries_of_the_queue()
    add_conversations(20)
    many = queries_of_the_queue()
    assert (few[1], many[1]) == (4, 44)
    assert few[0] == many[0]
    with django_assert_max_num_queries(14):
        moderator_client.get(CHANGELIST)


# Replying from the queue
# ------------------------------------------------------------------------------


@pytest.fixture
def follower_comment(article):
    return CommentFactory(article=article, user_name="Zoé", user_email="zoe@example.org", followup=True)


def test_staff_reply_from_the_queue_is_public_at_once_threaded_and_announced(
    client, moderator_client, moderator, article, follower_comment, django_capture_on_commit_callbacks
):
    before = client.get(article.get_absolute_url()).content.decode()
    assert "Merci Zoé, c’est corrigé." not in before
    back = f"{CHANGELIST}?state=public"

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            reply_url(follower_comment),
            {f"reply-{follower_comment.pk}-comment": "  Merci Zoé, c’est corrigé.  ", "next": back},
        )

    assert response.status_code == 302
    assert response["Location"] == back
    reply = XtdComment.objects.exclude(pk=follower_comment.pk).get()
    assert reply.comment == "Merci Zoé, c’est corrigé."
    assert (reply.user_id, reply.user_email) == (moderator.pk, moderator.email)
    assert reply.user_name == "Maud Modère"
    assert reply.is_public and not reply.is_removed
    assert (reply.parent_id, reply.level, reply.thread_id) == (follower_comment.pk, 1, follower_comment.pk)
    assert reply.ip_address is None
    # The page was cached before the reply: the reply purged it.
    after = page_text(client.get(article.get_absolute_url()))
    assert "Merci Zoé, c’est corrigé." in after
    assert [message.to for message in mail.outbox if "zoe@example.org" in message.to] == [["zoe@example.org"]]
    queue = page_text(moderator_client.get(back))
    assert gettext("Your reply to %(name)s is published.") % {"name": "Zoé"} in queue
    assert f"#c{reply.pk}" in queue


def test_staff_reply_from_the_comment_s_page(moderator_client, article):
    comment = CommentFactory(article=article, user_name="Zoé")
    page = moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()
    assert f'action="{reply_url(comment)}"' in page
    assert f'name="reply-{comment.pk}-comment"' in page
    response = moderator_client.post(
        reply_url(comment), {f"reply-{comment.pk}-comment": "Bien vu.", "next": CHANGELIST}
    )
    assert response.status_code == 302
    assert XtdComment.objects.get(comment="Bien vu.").parent_id == comment.pk


@pytest.mark.parametrize(
    ("text", "error"),
    [("", "Write your reply before posting it."), ("   ", "Write your reply before posting it."),
     ("x" * 3001, None)],
)  # fmt: skip
def test_an_empty_or_too_long_reply_comes_back_with_an_error_and_the_text(
    moderator_client, article, text, error
):
    comment = CommentFactory(article=article)
    response = moderator_client.post(reply_url(comment), {f"reply-{comment.pk}-comment": text})
    assert response.status_code == 200
    form = response.context["reply_form"]
    assert form.errors["comment"]
    if error:
        assert gettext(error) in page_text(response)
    else:
        assert text in response.content.decode(), "the text is given back"
    assert XtdComment.objects.count() == 1


def test_a_reply_at_the_deepest_level_is_refused_with_a_message(moderator_client, article):
    # COMMENTS_XTD_MAX_THREAD_LEVEL is 3 in the test settings.
    comment = CommentFactory(article=article)
    for _ in range(3):
        comment = CommentFactory(article=article, parent_id=comment.pk)
    assert comment.level == 3
    refusal = gettext("This conversation is already nested as deep as allowed: reply to an earlier comment.")

    queue = moderator_client.get(CHANGELIST).content.decode()
    response = moderator_client.post(reply_url(comment), {f"reply-{comment.pk}-comment": "Trop profond."})

    assert reply_url(comment) not in queue
    assert response.status_code == 200
    assert refusal in page_text(response)
    assert not XtdComment.objects.filter(comment="Trop profond.").exists()
    with pytest.raises(services.CommentRefused):
        services.comment_reply_as_staff(parent=comment, user=StaffFactory(), text="Trop profond.")


def test_a_comment_awaiting_moderation_cannot_be_answered_before_it_is_approved(moderator_client, article):
    comment = CommentFactory(article=article, is_public=False)
    response = moderator_client.post(reply_url(comment), {f"reply-{comment.pk}-comment": "Réponse."})
    assert response.status_code == 200
    assert gettext(
        "Approve this comment before replying to it: a reply to a hidden comment is not shown."
    ) in page_text(response)
    assert XtdComment.objects.count() == 1


def test_the_reply_page_opens_on_its_own(moderator_client, article):
    parent = CommentFactory(article=article, user_name="Bruno", comment="Premier avis.")
    comment = CommentFactory(article=article, parent_id=parent.pk, comment="Second avis.")
    response = moderator_client.get(reply_url(comment))
    assert response.status_code == 200
    page = page_text(response)
    assert "Second avis." in page
    assert "comments/moderation_queue.css" in page
    assert gettext("In reply to {name}: “{start}”").format(name="Bruno", start="Premier avis.") in page


def test_the_comment_s_page_says_what_it_answers(moderator_client, article):
    parent = CommentFactory(article=article, user_name="Bruno", comment="Premier avis.")
    comment = CommentFactory(article=article, parent_id=parent.pk)
    page = page_text(moderator_client.get(f"{CHANGELIST}{comment.pk}/change/"))
    assert gettext("{name}: “{start}”").format(name="Bruno", start="Premier avis.") in page
    assert f'href="{CHANGELIST}{parent.pk}/change/"' in page


def test_staff_may_still_answer_once_the_discussion_is_closed_to_readers(moderator_client, article):
    article.comments_enabled = False
    article.save()
    comment = CommentFactory(article=article)
    response = moderator_client.post(reply_url(comment), {f"reply-{comment.pk}-comment": "Dernier mot."})
    assert response.status_code == 302
    assert XtdComment.objects.get(comment="Dernier mot.").is_public


def test_a_reply_on_an_unpublished_article_is_refused(moderator_client, article):
    comment = CommentFactory(article=article)
    article.status = article.Status.DRAFT
    article.save()
    response = moderator_client.post(reply_url(comment), {f"reply-{comment.pk}-comment": "Réponse."})
    assert response.status_code == 200
    assert gettext("This comment's article is not published: its discussion is not shown.") in page_text(
        response
    )
    assert XtdComment.objects.count() == 1


def test_the_article_s_author_is_told_about_a_staff_reply(
    moderator_client, article, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article)
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(reply_url(comment), {f"reply-{comment.pk}-comment": "Réponse de la rédaction."})
    assert [message.to for message in mail.outbox] == [[article.author.email]]


def test_what_readers_wrote_is_escaped_in_the_row(moderator_client, article):
    parent = CommentFactory(article=article, user_name="<b>Bruno</b>", comment="<script>alert(1)</script>")
    CommentFactory(article=article, user_name="<i>Zoé</i>", parent_id=parent.pk)
    page = moderator_client.get(CHANGELIST).content.decode()
    assert "<b>Bruno</b>" not in page and "<i>Zoé</i>" not in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;i&gt;Zoé&lt;/i&gt;" in page
