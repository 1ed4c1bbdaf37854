"""Mounted at /commentaires/ in front of django-comments-xtd's URLs.

"post/", "confirm/", "mute/", "reply/" and "api/" take the place of the stock
views at the same addresses: the stock ones skip our checks (rate limit,
closed threads, reply depth, moderation rules).
"""

from django.urls import path, re_path

from . import feeds, views

app_name = "comments"

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("confirm/<str:key>/", views.confirm, name="confirm"),
    path("mute/<str:key>/", views.unsubscribe, name="unsubscribe"),
    path("reply/<int:cid>/", views.reply, name="reply"),
    re_path(r"^api/", views.disabled),
    path("flux/", feeds.LatestCommentsFeed(), name="feed"),
    path("flux/article/<int:pk>/", feeds.ArticleCommentsFeed(), name="article_feed"),
]
