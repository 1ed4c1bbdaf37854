"""Mounted at /commentaires/ in front of django-comments-xtd's URLs.

"post/", "confirm/", "mute/", "reply/" and "cr/" take the place of the stock
views at the same addresses; "modifier/" and "supprimer/" are the writer's
own edit and delete pages, reached by the signed link given after posting.
Everything else under /commentaires/ answers 404, the stock views and their
format-suffixed forms ("confirm/x.json") included: they skip our checks (rate
limit, closed threads, reply depth, moderation rules), bypass the moderation
admin, show comments or objects that are not public, or crash on the suffix.
The stock patterns stay included after ours only so that the names
django-comments-xtd reverses still resolve
(``Comment.get_absolute_url()`` reverses "comments-url-redirect").
"""

from django.urls import path, re_path

from . import feeds, views

app_name = "comments"

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("champs/<int:pk>/", views.form_fields, name="form_fields"),
    re_path(r"^post\.", views.post_comment),
    path("confirm/<str:key>/", views.confirm, name="confirm"),
    path("mute/<str:key>/", views.unsubscribe, name="unsubscribe"),
    path("reply/<int:cid>/", views.reply, name="reply"),
    path("signaler/<int:cid>/", views.flag, name="flag"),
    path("modifier/<str:token>/", views.edit, name="edit"),
    path("supprimer/<str:token>/", views.delete, name="delete"),
    path("cr/<int:content_type_id>/<int:object_pk>/", views.article_redirect, name="article_redirect"),
    path("flux/", feeds.LatestCommentsFeed(), name="feed"),
    path("flux/article/<int:pk>/", feeds.ArticleCommentsFeed(), name="article_feed"),
    # Last: no stock view is ever reached.
    re_path(r"^", views.not_served),
]
