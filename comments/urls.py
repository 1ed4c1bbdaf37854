"""Mounted at /commentaires/ in front of django-comments-xtd's URLs.

"post/", "confirm/", "mute/" and "reply/" take the place of the stock views at
the same addresses, and the other stock views that write or show comments
answer 404: they skip our checks (rate limit, closed threads, reply depth,
moderation rules) or bypass the moderation admin. The stock URLs also accept
format suffixes ("post.json"), hence the regular expressions.
"""

from django.urls import path, re_path

from . import feeds, views

app_name = "comments"

DISABLED_STOCK_VIEWS = [
    "api", "sent", "approve", "approved", "delete", "deleted",
    "flag", "flagged", "like", "liked", "dislike", "disliked",
]  # fmt: skip

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("champs/<int:pk>/", views.form_fields, name="form_fields"),
    re_path(r"^post\.", views.post_comment),
    path("confirm/<str:key>/", views.confirm, name="confirm"),
    path("mute/<str:key>/", views.unsubscribe, name="unsubscribe"),
    path("reply/<int:cid>/", views.reply, name="reply"),
    path("signaler/<int:cid>/", views.flag, name="flag"),
    re_path(rf"^(?:{'|'.join(DISABLED_STOCK_VIEWS)})\b", views.disabled),
    path("flux/", feeds.LatestCommentsFeed(), name="feed"),
    path("flux/article/<int:pk>/", feeds.ArticleCommentsFeed(), name="article_feed"),
]
