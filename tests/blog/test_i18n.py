import datetime

import pytest
from django.utils import translation

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_french_is_the_default(client):
    ArticleFactory(published_at=datetime.datetime(2009, 11, 20, 10, tzinfo=datetime.UTC))
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html
    assert "20 nov. 2009" in html
    assert "Articles récents" in html


def test_english_by_setting_language_code(client, settings):
    settings.LANGUAGE_CODE = "en"
    ArticleFactory(published_at=datetime.datetime(2009, 11, 20, 10, tzinfo=datetime.UTC))
    translation.deactivate()  # as in a fresh process: the language comes from the setting
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Nov. 20, 2009" in html
    assert "Recent articles" in html


def test_the_site_speaks_its_language_whatever_the_browser_asks(client, settings, article):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fr">' in html and "Articles récents" in html
    # No language stays active after a request: other work uses the setting as it is then.
    settings.LANGUAGE_CODE = "en"
    assert translation.get_language() == "en"


def test_french_catalogue_is_complete_and_compiled(tmp_path):
    import subprocess
    from pathlib import Path

    locale = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES"
    po = (locale / "django.po").read_text()
    # What compilemessages runs: the catalogue must compile, and the committed .mo be its result.
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", str(compiled), str(locale / "django.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert compiled.read_bytes() == (locale / "django.mo").read_bytes(), "run make messages"
    entries = po.split("\n\n")[1:]
    untranslated = [
        e for e in entries if 'msgstr ""' in e and "msgid_plural" not in e and not e.startswith("#~")
    ]
    untranslated = [e for e in untranslated if e.rstrip().endswith('msgstr ""')]
    assert not untranslated, untranslated[:5]
    assert "#, fuzzy" not in po
