"""What differs from one reader to the next in an otherwise shared page.

Two values: the CSRF token of each form, and the comment form's signed
timestamp, which would expire (COMMENTS_TIMEOUT) if the page kept the one of
the moment it was rendered. A page or fragment kept in the cache holds
placeholders instead (``keep``); each serving puts in fresh values (``fill``).
"""

import re

from django.middleware.csrf import get_token

# Django's {% csrf_token %} writes exactly this; the token is 64 letters and digits.
CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(">)')
# The comment form's security fields, as comments/form.html writes them.
COMMENT_SECURITY = re.compile(
    rb'(<input type="hidden" name="timestamp" value=")\d+(">\s*'
    rb'<input type="hidden" name="security_hash" value=")[0-9a-f]+(">)'
)
COMMENT_TARGET = re.compile(
    rb'name="content_type" value="([\w.]+)".*?name="object_pk" value="(\d+)"', re.DOTALL
)
CSRF_PLACEHOLDER = b"\x00csrf-token\x00"
TIMESTAMP_PLACEHOLDER = b"\x00comment-timestamp\x00"
HASH_PLACEHOLDER = b"\x00comment-hash\x00"


PLACEHOLDERS = re.compile(
    b"(%s)" % b"|".join(map(re.escape, [CSRF_PLACEHOLDER, TIMESTAMP_PLACEHOLDER, HASH_PLACEHOLDER]))
)


def keep(content):
    """``content`` (bytes) as parts around placeholders, and what ``fill`` needs to put values in.

    The parts alternate: markup, placeholder, markup… so that ``fill`` builds a
    page with one copy, however long, instead of searching it for each value.
    """
    content, tokens = CSRF_INPUT.subn(rb"\1" + CSRF_PLACEHOLDER + rb"\2", content)
    target = None
    if tokens and (found := COMMENT_TARGET.search(content)):
        content, forms = COMMENT_SECURITY.subn(
            rb"\1" + TIMESTAMP_PLACEHOLDER + rb"\2" + HASH_PLACEHOLDER + rb"\3", content
        )
        if forms:
            target = (found[1].decode(), found[2].decode())
    return PLACEHOLDERS.split(content), {"csrf": bool(tokens), "comment_target": target}


def fill(parts, request, *, csrf, comment_target):
    """The bytes of ``parts`` kept by ``keep``, with this reader's token and a new comment timestamp."""
    if len(parts) == 1:
        return parts[0]
    values = {}
    if csrf:
        values[CSRF_PLACEHOLDER] = get_token(request).encode()
    if comment_target:
        from comments.forms import fresh_security_fields

        timestamp, security_hash = fresh_security_fields(*comment_target)
        values[TIMESTAMP_PLACEHOLDER] = timestamp.encode()
        values[HASH_PLACEHOLDER] = security_hash.encode()
    return b"".join([values.get(part, part) if index % 2 else part for index, part in enumerate(parts)])
