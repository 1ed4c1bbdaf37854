import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from tests.factories import ArticleFactory, image_bytes


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    """Each test gets an empty in-memory storage (changing STORAGES resets Django's handles)."""
    settings.STORAGES = {**settings.STORAGES}
    return storages["default"]


class SaveCounter:
    def __init__(self, storage, monkeypatch):
        self.names = []
        original = storage.save

        def counting_save(name, content, *args, **kwargs):
            saved = original(name, content, *args, **kwargs)
            self.names.append(saved)
            return saved

        monkeypatch.setattr(storage, "save", counting_save)


@pytest.fixture
def storage_writes(fresh_storage, monkeypatch):
    """The names of the files written to the storage during the test."""
    return SaveCounter(fresh_storage, monkeypatch).names


def featured(width=1600, height=900, name="photo.jpg", **kwargs):
    return {
        "featured_image": ContentFile(image_bytes(width, height, **kwargs), name=name),
        "featured_image_alt": "Une photo de test",
    }


@pytest.fixture
def illustrated_article(db):
    return ArticleFactory(**featured(), featured_image_caption="Photo : Camille Durand")
