from django.urls import path, register_converter

from . import converters, feeds, views

register_converter(converters.FourDigitYearConverter, "yyyy")
register_converter(converters.TwoDigitConverter, "mm")
register_converter(converters.TwoDigitConverter, "dd")

app_name = "blog"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="article_list"),
    path("<yyyy:year>/", views.YearArchiveView.as_view(), name="archive_year"),
    path("<yyyy:year>/<mm:month>/", views.MonthArchiveView.as_view(), name="archive_month"),
    path("<yyyy:year>/<mm:month>/<dd:day>/", views.DayArchiveView.as_view(), name="archive_day"),
    path(
        "<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article_detail",
    ),
    path("apercu/<int:pk>/", views.ArticlePreviewView.as_view(), name="article_preview"),
    path("categorie/<slug:slug>/", views.CategoryDetailView.as_view(), name="category_detail"),
    path("mot-cle/<str:slug>/", views.TagDetailView.as_view(), name="tag_detail"),
    path("auteur/<str:username>/", views.AuthorDetailView.as_view(), name="author_detail"),
    path("flux/rss/", feeds.ArticleFeed(), name="article_feed_rss"),
    path("flux/atom/", feeds.AtomArticleFeed(), name="article_feed_atom"),
    path("categorie/<slug:slug>/flux/rss/", feeds.CategoryFeed(), name="category_feed_rss"),
    path("categorie/<slug:slug>/flux/atom/", feeds.AtomCategoryFeed(), name="category_feed_atom"),
    path("mot-cle/<str:slug>/flux/rss/", feeds.TagFeed(), name="tag_feed_rss"),
    path("mot-cle/<str:slug>/flux/atom/", feeds.AtomTagFeed(), name="tag_feed_atom"),
    path("auteur/<str:username>/flux/rss/", feeds.AuthorFeed(), name="author_feed_rss"),
    path("auteur/<str:username>/flux/atom/", feeds.AtomAuthorFeed(), name="author_feed_atom"),
]
