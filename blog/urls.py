from django.urls import path, register_converter

from . import converters, views

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
]
