"""The Nu Html Checker (npm ``vnu-jar``, on Debian's Java) for the tests that check pages' markup."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require_validator():
    """Skip without the checker; in CI (``CI`` set), fail: it must have been installed."""
    needed = [(VNU.exists(), "vnu-jar (npm)"), (shutil.which("java"), "Java (default-jre-headless)")]
    for found, what in needed:
        if not found:
            message = f"{what} is not installed (`make test` installs it)."
            if os.environ.get("CI"):
                pytest.fail(message, pytrace=False)
            pytest.skip(message)


def html_errors(pages: dict, folder: Path) -> list[tuple[str, str, str]]:
    """The checker's errors for ``pages`` ({name: HTML bytes}), as (name, message, extract), in one run."""
    files = []
    for name, content in pages.items():
        files.append(folder / f"{name}.html")
        files[-1].write_bytes(content)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        (Path(message.get("url", "")).stem, message.get("message"), message.get("extract", "")[:120])
        for message in messages
        if message.get("type") == "error"
    ]
