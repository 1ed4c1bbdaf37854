"""The back office speaks French: every app and model an editor sees has a proper name."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def index_names(client):
    app_list = client.get(reverse("admin:index")).context["app_list"]
    return {str(app["name"]): [str(model["name"]) for model in app["models"]] for app in app_list}


def test_every_app_of_the_admin_has_a_french_name():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    names = index_names(client)
    for package_name in ("Taggit", "Comments Xtd", "Django_Comments", "Axes", "Media library"):
        assert package_name not in names
    assert names["Mots-clés"] == ["Mots-clés"]
    assert names["Commentaires des lecteurs"] == ["Commentaires"]
    assert "Signalements de commentaires" in names
    assert "Tentatives de connexion" in names
    assert "Médias" in names
    assert not [model for models in names.values() for model in models if "Black listed" in model]


def test_stock_titles_read_well_in_french(editor_client):
    content = editor_client.get(reverse("admin:blog_article_add")).content.decode()
    assert "Ajout : article" in content
    assert "Ajout de article" not in content


def test_an_editor_sees_only_what_the_newsroom_needs(editor_client):
    assert set(index_names(editor_client)) == {"Audience", "Blog", "Médias", "Mots-clés", "Pages statiques"}
