from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.redirects.models import Redirect
from django.core.management import call_command
from django.utils import translation
from django_comments_xtd.models import XtdComment
from taggit.models import Tag

from blog.models import Article, Category
from editorial.models import ArticleRevision
from wordpress.models import ImportedItem

DATA = Path(__file__).parent / "data"


@pytest.fixture
def run_import():
    """Run an import command in English and return what it printed."""

    def run(command, path, *args, **options):
        out = StringIO()
        with translation.override("en"):
            call_command(command, str(path), *args, stdout=out, stderr=StringIO(), **options)
        return out.getvalue()

    return run


@pytest.fixture
def write_file(tmp_path):
    def write(text, name="export.txt"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def database_state():
    """What an import could have changed, to compare before and after a refused file."""
    return {
        "articles": Article.objects.count(),
        "categories": Category.objects.count(),
        "tags": Tag.objects.count(),
        "comments": XtdComment.objects.count(),
        "redirects": Redirect.objects.count(),
        "imported": ImportedItem.objects.count(),
        "users": get_user_model().objects.count(),
        "revisions": ArticleRevision.objects.count(),
    }
