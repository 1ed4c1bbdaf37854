"""A writer changes or deletes their own comment for a short time after posting it."""

import html
import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django_comments_xtd.models import XtdComment

from comments import services
from comments.models import CommentEdit, ModerationPolicy
from tests.factories import ArticleFactory, CommentFactory, StaffFactory, UserFactory
from tests.html_validator import html_errors, require_validator

pytestmark = pytest.mark.django_db

EDIT_LINK = re.compile(r'href="(/commentaires/modifier/[^"]+/)"')
THANKS = "Thank you, your comment is online."


@pytest.fixture(autouse=True)
def _trust_everyone(settings):
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    settings.COMMENTS_EDIT_MINUTES = 15


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory(email="auteure@example.org"))
    return client


def edit_link(response):
    found = EDIT_LINK.search(response.content.decode())
    assert found, "no edit link on the page"
    return html.unescape(found.group(1))


def edit_url(comment):
    return reverse("comments:edit", kwargs={"token": services.comment_edit_token(comment=comment)})


def delete_url(comment):
    return reverse("comments:delete", kwargs={"token": services.comment_edit_token(comment=comment)})


def thread(article):
    """The article's discussion as an anonymous reader without messages sees it (the shared page)."""
    return Client().get(article.get_absolute_url()).content.decode().split('id="comments"', 1)[1]


def edit(client, url, text, capture):
    with capture(execute=True):
        return client.post(url, {"comment": text})


# The link, shown to the writer only
# ------------------------------------------------------------------------------


def test_a_signed_in_writer_gets_the_link_right_after_posting(signed_in, article, post_comment):
    response = post_comment(article, name="", email="", follow=True)
    page = response.content.decode()
    label = ngettext(
        "Edit or delete your comment (for %(minutes)d minute)",
        "Edit or delete your comment (for %(minutes)d minutes)",
        15,
    ) % {"minutes": 15}
    assert html.escape(label) in page
    assert (
        response.headers["Cache-Control"].startswith("private")
        or "no-store" in response.headers["Cache-Control"]
    )
    assert edit_link(response).startswith("/commentaires/modifier/")


def test_an_anonymous_writer_gets_the_link_after_confirming(client, article, post_comment):
    response = post_comment(article, follow=True)
    assert not EDIT_LINK.search(response.content.decode())  # no comment exists yet
    link = re.search(r"(/commentaires/confirm/[^\s]+/)", mail.outbox[0].body).group(1)

    response = client.get(link, follow=True)

    assert edit_link(response)
    assert "no-store" in response.headers["Cache-Control"]


def test_a_writer_held_for_moderation_gets_the_link_too(signed_in, article, post_comment, settings):
    settings.COMMENTS_MODERATION = "pre"
    response = post_comment(article, name="", email="", follow=True)
    assert not XtdComment.objects.get().is_public
    assert edit_link(response)


def test_the_shared_article_page_never_carries_the_link(signed_in, article, post_comment):
    post_comment(article, name="", email="", follow=True)
    anonymous = Client().get(article.get_absolute_url())
    assert "/commentaires/modifier/" not in anonymous.content.decode()
    assert "/commentaires/supprimer/" not in anonymous.content.decode()
    assert "Set-Cookie" not in anonymous.headers


def test_the_link_is_not_kept_on_the_next_visit(signed_in, article, post_comment):
    post_comment(article, name="", email="", follow=True)
    again = signed_in.get(article.get_absolute_url())
    assert not EDIT_LINK.search(again.content.decode())


def test_confirming_again_past_the_window_gives_no_link(client, article, post_comment):
    post_comment(article)
    link = re.search(r"(/commentaires/confirm/[^\s]+/)", mail.outbox[0].body).group(1)
    client.get(link, follow=True)  # the first landing shows (and uses up) its messages
    past = timezone.now() - timezone.timedelta(minutes=16)
    XtdComment.objects.update(submit_date=past)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert not EDIT_LINK.search(response.content.decode())


def test_no_link_when_the_window_is_off(signed_in, article, post_comment, settings):
    settings.COMMENTS_EDIT_MINUTES = 0
    response = post_comment(article, name="", email="", follow=True)
    assert html.escape(gettext(THANKS)) in response.content.decode()
    assert not EDIT_LINK.search(response.content.decode())


# Editing
# ------------------------------------------------------------------------------


def test_the_edit_page_shows_the_text_and_is_private(client, article):
    comment = CommentFactory(article=article, comment="Un avis à revoir.")
    response = client.get(edit_url(comment))
    assert response.status_code == 200
    assert "Un avis à revoir.</textarea>" in response.content.decode()
    assert "no-store" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers  # no CSRF cookie: the address is the proof


def test_an_edit_changes_the_text_and_the_thread_says_so(client, article, django_capture_on_commit_callbacks):
    comment = CommentFactory(article=article, comment="Un avis avec une fote.")
    before = thread(article)  # fills the thread's cache
    assert "Un avis avec une fote." in before

    response = edit(client, edit_url(comment), "Un avis sans faute.", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == f"{article.get_absolute_url()}#c{comment.pk}"
    comment.refresh_from_db()
    assert comment.comment == "Un avis sans faute." and comment.is_public
    edited_at = CommentEdit.objects.get(comment=comment).edited_at
    shared = thread(article)
    assert "Un avis sans faute." in shared and "fote" not in shared
    stamp = timezone.localtime(edited_at).replace(microsecond=0).isoformat()
    assert f'<span class="comment__edited">· <time datetime="{stamp}">' in shared


def test_after_an_edit_the_writer_lands_on_the_comment_with_a_message(client, article):
    comment = CommentFactory(article=article)
    response = client.post(edit_url(comment), {"comment": "Nouvelle version."}, follow=True)
    page = response.content.decode()
    assert html.escape(gettext("Your comment was changed.")) in page
    assert EDIT_LINK.search(page)  # still within the window: the link again


def test_an_unchanged_text_records_no_edit(client, article):
    comment = CommentFactory(article=article, comment="Tel quel.")
    client.post(edit_url(comment), {"comment": "Tel quel."})
    assert not CommentEdit.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Your comment is empty."),
        ("x" * 3001, None),
    ],
)
def test_bad_text_shows_the_form_again_with_the_error(client, article, text, message):
    comment = CommentFactory(article=article, comment="Le texte d’origine.")
    response = client.post(edit_url(comment), {"comment": text})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="field__error"' in page
    if message:
        assert html.escape(gettext(message)) in page
    comment.refresh_from_db()
    assert comment.comment == "Le texte d’origine."


def test_an_edit_that_now_needs_moderation_goes_back_to_moderation(
    client, article, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_MAX_LINKS = 1
    StaffFactory(is_superuser=True, email="moderatrice@example.org")
    comment = CommentFactory(article=article, comment="Un avis sage.")
    reply = CommentFactory(article=article, parent_id=comment.pk, comment="Une réponse sage.")
    text = "Voyez https://a.example et https://b.example"

    response = edit(client, edit_url(comment), text, django_capture_on_commit_callbacks)

    comment.refresh_from_db()
    assert not comment.is_public and not comment.is_removed
    assert response.url == f"{article.get_absolute_url()}#comments"
    assert "Un avis sage." not in thread(article)
    assert [m.to for m in mail.outbox] == [["moderatrice@example.org"]]
    # The reply keeps its own state: it shows again when its parent is approved.
    reply.refresh_from_db()
    assert reply.is_public


def test_the_writer_sees_their_held_edit_under_the_message(client, article, settings):
    settings.COMMENTS_MAX_LINKS = 0
    comment = CommentFactory(article=article)
    response = client.post(edit_url(comment), {"comment": "Lien : https://a.example"}, follow=True)
    page = response.content.decode()
    assert (
        html.escape(gettext("Your comment was changed. It will appear again once a moderator approves it."))
        in page
    )
    assert "comment-pending" in page


def test_an_edit_on_an_article_held_for_moderation_stays_held(client, article):
    ModerationPolicy.objects.create(article=article)
    comment = CommentFactory(article=article, is_public=False)
    client.post(edit_url(comment), {"comment": "Autre chose."})
    comment.refresh_from_db()
    assert comment.comment == "Autre chose." and not comment.is_public


def test_edits_count_toward_the_rate_limit(client, article, settings):
    settings.COMMENTS_RATE_LIMIT = 1
    comment = CommentFactory(article=article)
    url = edit_url(comment)
    assert client.post(url, {"comment": "Une."}).status_code == 302
    response = client.post(url, {"comment": "Deux."})
    assert response.status_code == 429
    comment.refresh_from_db()
    assert comment.comment == "Une."


def test_no_edit_once_the_discussion_is_closed(client, article):
    comment = CommentFactory(article=article, comment="Avant la fermeture.")
    url = edit_url(comment)
    article.comments_enabled = False
    article.save()
    response = client.post(url, {"comment": "Après."})
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.comment == "Avant la fermeture."


# Links that no longer work
# ------------------------------------------------------------------------------


def test_a_link_past_the_window_is_gone(client, article, settings):
    comment = CommentFactory(article=article, submit_date=timezone.now() - timezone.timedelta(minutes=12))
    url = edit_url(comment)
    settings.COMMENTS_EDIT_MINUTES = 10  # the link is fresh, the comment is not
    response = client.get(url)
    assert response.status_code == 410
    assert html.escape(gettext("The time to change this comment is over.")) in response.content.decode()
    assert client.post(url, {"comment": "Trop tard."}).status_code == 410


def test_no_link_is_made_past_the_window(article):
    comment = CommentFactory(article=article, submit_date=timezone.now() - timezone.timedelta(minutes=16))
    assert services.comment_edit_token(comment=comment) is None


def test_an_expired_token_is_gone(client, article):
    comment = CommentFactory(article=article)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 16 * 60):
        url = edit_url(comment)
    assert client.get(url).status_code == 410


@pytest.mark.parametrize("how", ["tampered", "garbage", "other_salt"])
def test_a_forged_link_is_refused_with_a_message(client, article, how):
    comment = CommentFactory(article=article)
    token = services.comment_edit_token(comment=comment)
    forged = {
        "tampered": token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
        "garbage": "nimporte-quoi",
        "other_salt": signing.TimestampSigner(salt="autre").sign_object({"c": comment.pk, "t": 0}),
    }[how]
    for url in (reverse("comments:edit", args=[forged]), reverse("comments:delete", args=[forged])):
        response = client.post(url, {"comment": "Pirate."})
        assert response.status_code == 400
        assert html.escape(gettext("This link is invalid: open the one you were given after posting.")) in (
            response.content.decode()
        )
    comment.refresh_from_db()
    assert comment.comment != "Pirate."


def test_a_link_to_a_comment_removed_by_a_moderator_no_longer_works(client, article):
    comment = CommentFactory(article=article)
    url = edit_url(comment)
    XtdComment.objects.filter(pk=comment.pk).update(is_removed=True)
    assert client.get(url).status_code == 410


def test_a_link_to_a_deleted_comment_never_reaches_a_newer_one(client, article):
    comment = CommentFactory(article=article, submit_date=timezone.now() - timezone.timedelta(minutes=1))
    url = edit_url(comment)
    pk = comment.pk
    comment.delete()
    CommentFactory(article=article, comment_ptr_id=pk, id=pk, comment="Quelqu’un d’autre.")
    assert client.post(url, {"comment": "Pirate."}).status_code == 410
    assert XtdComment.objects.get(pk=pk).comment == "Quelqu’un d’autre."


def test_suffixed_addresses_never_crash(client, article):
    comment = CommentFactory(article=article)
    token = services.comment_edit_token(comment=comment)
    for path in (f"/commentaires/modifier/{token}.json/", f"/commentaires/supprimer/{token}/x.json"):
        assert client.get(path).status_code in (400, 404)


def test_routes_reverse_and_resolve():
    assert resolve("/commentaires/modifier/abc:def/").url_name == "edit"
    assert resolve("/commentaires/supprimer/abc:def/").url_name == "delete"


# Deleting
# ------------------------------------------------------------------------------


def test_delete_asks_first(client, article):
    comment = CommentFactory(article=article, comment="Je le regrette.")
    response = client.get(delete_url(comment))
    assert response.status_code == 200
    assert "Je le regrette." in response.content.decode()
    assert XtdComment.objects.filter(pk=comment.pk).exists()


def test_a_comment_without_replies_is_deleted(client, article, django_capture_on_commit_callbacks):
    comment = CommentFactory(article=article, comment="À effacer.")
    assert "À effacer." in thread(article)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(comment), follow=True)
    assert html.escape(gettext("Your comment was deleted.")) in response.content.decode()
    assert not XtdComment.objects.filter(pk=comment.pk).exists()
    assert "À effacer." not in thread(article)


def test_a_comment_with_replies_stays_as_removed(client, article, django_capture_on_commit_callbacks):
    comment = CommentFactory(article=article, comment="Le début d’une conversation.")
    CommentFactory(article=article, parent_id=comment.pk, comment="Une réponse qui reste.")
    assert "Le début" in thread(article)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(delete_url(comment))
    comment.refresh_from_db()
    assert comment.is_removed
    shared = thread(article)
    assert "Le début" not in shared
    assert html.escape(gettext("This comment was removed.")) in shared
    assert "Une réponse qui reste." in shared


def test_deleting_a_reply_updates_its_ancestors_reply_counts(client, article):
    root = CommentFactory(article=article)
    middle = CommentFactory(article=article, parent_id=root.pk)
    leaf = CommentFactory(article=article, parent_id=middle.pk)
    assert XtdComment.objects.get(pk=root.pk).nested_count == 2
    client.post(delete_url(leaf))
    assert XtdComment.objects.get(pk=root.pk).nested_count == 1
    assert XtdComment.objects.get(pk=middle.pk).nested_count == 0


def test_delete_needs_a_post(client, article):
    comment = CommentFactory(article=article)
    assert client.put(delete_url(comment)).status_code == 405


# Query budget
# ------------------------------------------------------------------------------


def test_edited_marks_cost_no_query_per_comment(client, settings, django_assert_max_num_queries):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.COMMENTS_THREADS_PER_PAGE = 1000
    small, large = ArticleFactory(), ArticleFactory()
    CommentFactory.create_batch(2, article=small)
    edited = CommentFactory.create_batch(60, article=large)
    CommentEdit.objects.bulk_create([CommentEdit(comment=c, edited_at=timezone.now()) for c in edited])
    client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(queries)):
        response = client.get(large.get_absolute_url())
    assert response.content.decode().count('class="comment__edited"') == 60


# Valid HTML
# ------------------------------------------------------------------------------


def test_the_edit_pages_are_valid_html(client, article, tmp_path):
    require_validator()
    comment = CommentFactory(article=article)
    CommentEdit.objects.create(comment=comment, edited_at=timezone.now())
    pages = {
        "edit": client.get(edit_url(comment)),
        "edit-errors": client.post(edit_url(comment), {"comment": ""}),
        "delete": client.get(delete_url(comment)),
        "refused": client.get(reverse("comments:edit", args=["faux"])),
        "thread-with-edit-and-link": client.post(edit_url(comment), {"comment": "Relu."}, follow=True),
    }
    errors = html_errors({name: response.content for name, response in pages.items()}, tmp_path)
    assert errors == []
