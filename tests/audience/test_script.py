"""The beacon script: same-origin, deferred, with no cookie or storage access."""

from pathlib import Path

from django.contrib.staticfiles import finders

SCRIPT = "audience/beacon.js"


def script_text():
    path = finders.find(SCRIPT)
    assert path, f"{SCRIPT} is not found by the static files finders"
    return Path(path).read_text(encoding="utf-8")


def test_the_script_is_a_static_file_using_send_beacon():
    text = script_text()
    assert "navigator.sendBeacon" in text
    assert "data-audience-article" in text
    assert "data-endpoint" in text


def test_the_script_touches_no_cookie_or_storage():
    text = script_text().lower()
    for word in (".cookie", "cookiestore", "localstorage", "sessionstorage", "indexeddb", "canvas"):
        assert word not in text


def test_the_script_sends_nothing_when_the_reader_opts_out():
    text = script_text()
    assert "doNotTrack" in text
    assert "globalPrivacyControl" in text


def test_the_script_sends_the_referrer_as_a_host_name_only():
    text = script_text()
    assert ".hostname" in text
    assert "document.referrer)" in text or "document.referrer ?" in text
