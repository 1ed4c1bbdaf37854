import pytest
from django.test import Client

from tests.factories import AuthorUserFactory, EditorUserFactory, ModeratorUserFactory


@pytest.fixture
def author_user(db):
    return AuthorUserFactory(username="autrice")


@pytest.fixture
def other_author(db):
    return AuthorUserFactory(username="autre-auteur")


@pytest.fixture
def editor_user(db):
    return EditorUserFactory(username="editrice")


@pytest.fixture
def moderator_user(db):
    return ModeratorUserFactory(username="moderateur")


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def author_client(author_user):
    return _client_for(author_user)


@pytest.fixture
def editor_client(editor_user):
    return _client_for(editor_user)


@pytest.fixture
def moderator_client(moderator_user):
    return _client_for(moderator_user)


@pytest.fixture
def article_form_data():
    """What the article form posts, minus what each test sets."""

    def build(**overrides):
        data = {
            "title": "Un nouvel article",
            "slug": "un-nouvel-article",
            "excerpt": "",
            "body": "<p>Le texte.</p>",
            "category": "",
            "new_tags": "",
            "status": "draft",
            "comments_enabled": "on",
            "seo_description": "",
            "further_reading-TOTAL_FORMS": "0",
            "coauthor_links-TOTAL_FORMS": "0",
            "coauthor_links-INITIAL_FORMS": "0",
            "further_reading-INITIAL_FORMS": "0",
            "further_reading-MIN_NUM_FORMS": "0",
            "further_reading-MAX_NUM_FORMS": "1000",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build
