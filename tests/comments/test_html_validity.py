"""The comment pages a reader can reach are valid HTML (Nu Html Checker), messages and pages included."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require(found, what):
    if not found:
        message = f"{what} is not installed (`make test` installs it)."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def test_the_reader_comment_pages_are_valid_html(client, article, post_comment, settings, tmp_path):
    require(VNU.exists(), "vnu-jar (npm)")
    require(shutil.which("java"), "Java (default-jre-headless)")
    settings.COMMENTS_THREADS_PER_PAGE = 2
    settings.COMMENTS_RATE_LIMIT = 2
    for n in range(5):
        CommentFactory(article=article, comment=f"Avis {n}")
    url = article.get_absolute_url()
    pages = {
        "second-page-newest-first": client.get(f"{url}?ordre=recents&commentaires=2"),
        "reply-form-on-a-page": client.get(
            f"{url}?commentaires=2&reply_to={CommentFactory(article=article).pk}"
        ),
        "field-errors": post_comment(article, comment="", email="pas-une-adresse"),
        "form-error": post_comment(article, age=0),
        "after-posting": post_comment(article, follow=True),
    }
    post_comment(article, comment="Deux")
    pages["rate-limited"] = post_comment(article, comment="Trois")
    assert pages["rate-limited"].status_code == 429
    files = []
    for name, response in pages.items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        (Path(message.get("url", "")).stem, message.get("message"), message.get("extract", "")[:120])
        for message in messages
        if message.get("type") == "error"
    ]
    assert errors == []
