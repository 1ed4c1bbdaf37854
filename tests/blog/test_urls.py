import pytest
from django.urls import resolve, reverse

ROUTES = [
    ("blog:article_list", {}, "/"),
    ("blog:archive_year", {"year": 2009}, "/2009/"),
    ("blog:archive_month", {"year": 2009, "month": 1}, "/2009/01/"),
    ("blog:archive_day", {"year": 2009, "month": 1, "day": 5}, "/2009/01/05/"),
    (
        "blog:article_detail",
        {"year": 2009, "month": 11, "day": 20, "slug": "bilan"},
        "/2009/11/20/bilan/",
    ),
    ("blog:article_preview", {"pk": 3}, "/apercu/3/"),
    ("blog:category_detail", {"slug": "reseaux-sociaux"}, "/categorie/reseaux-sociaux/"),
    ("blog:tag_detail", {"slug": "twitter"}, "/mot-cle/twitter/"),
    ("blog:author_detail", {"username": "claire.d@x"}, "/auteur/claire.d@x/"),
]


@pytest.mark.parametrize(("name", "kwargs", "path"), ROUTES)
def test_route_reverses_and_resolves(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert match.view_name == name
    assert match.kwargs == kwargs
