"""The operator switches uploads to S3-compatible storage by configuration alone."""

import importlib
import runpy
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

BASE_SETTINGS = Path(__file__).resolve().parents[2] / "config" / "settings" / "base.py"


def load_settings(monkeypatch, **environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_SETTINGS))


def test_local_disk_is_the_default(monkeypatch):
    monkeypatch.delenv("MEDIA_STORAGE", raising=False)
    settings = load_settings(monkeypatch)
    assert settings["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_s3_storage_is_configured_from_the_environment(monkeypatch):
    settings = load_settings(
        monkeypatch,
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="blog-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.test",
        AWS_S3_REGION_NAME="fr-par",
        AWS_ACCESS_KEY_ID="fake-key-id",
        AWS_SECRET_ACCESS_KEY="fake-secret",
        AWS_S3_CUSTOM_DOMAIN="media.example.test",
    )
    config = settings["STORAGES"]["default"]
    storage = import_string(config["BACKEND"])(**config["OPTIONS"])
    assert storage.bucket_name == "blog-media"
    assert storage.endpoint_url == "https://s3.example.test"
    assert storage.file_overwrite is False
    # Public, cacheable addresses built without any request to the storage.
    assert (
        storage.url("articles/2026/11/photo.jpg") == "https://media.example.test/articles/2026/11/photo.jpg"
    )


def test_production_keeps_the_chosen_storage(monkeypatch):
    for name, value in {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "blog-media",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "blog.example.test",
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        "CACHE_URL": "locmemcache://",
        "COMMENTS_XTD_SALT": "y" * 60,
    }.items():
        monkeypatch.setenv(name, value)
    # A fresh import of both modules, as at start-up (the originals come back after the test).
    for module in ("config.settings.base", "config.settings.production"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    production = importlib.import_module("config.settings.production")
    assert production.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert production.STORAGES["staticfiles"]["BACKEND"].startswith("whitenoise.")


def test_an_unknown_storage_name_stops_start_up(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE"):
        load_settings(monkeypatch, MEDIA_STORAGE="ftp")
