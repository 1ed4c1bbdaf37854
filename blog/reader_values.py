"""What differs from one reader to the next in an otherwise shared page.

Two values: the CSRF token of each form, and the comment form's signed
timestamp, which would expire (COMMENTS_TIMEOUT) if the page kept the one of
the moment it was rendered. A page or fragment kept in the cache holds
placeholders instead (``keep``); each serving puts in fresh values (``fill``).
"""

import re
import secrets
from typing import NamedTuple

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

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


class Kept(NamedTuple):
    """Markup kept for every reader. Made of tuples, strings and bytes only, it cannot be
    modified: each process's copy of it (blog.cache) is served as it is, never copied.

    The parts alternate: markup, placeholder, markup… so that ``fill`` builds a
    page with one copy, however long, instead of searching it for each value.
    """

    parts: tuple
    csrf: bool  # whether it has forms that need the reader's token
    comment_target: tuple | None  # the comment form's content type and object id


def keep(content):
    """``content`` (bytes) with placeholders where each reader's values go, as ``Kept``."""
    content, tokens = CSRF_INPUT.subn(rb"\1" + CSRF_PLACEHOLDER + rb"\2", content)
    target = None
    if tokens and (found := COMMENT_TARGET.search(content)):
        content, forms = COMMENT_SECURITY.subn(
            rb"\1" + TIMESTAMP_PLACEHOLDER + rb"\2" + HASH_PLACEHOLDER + rb"\3", content
        )
        if forms:
            target = (found[1].decode(), found[2].decode())
    return Kept(tuple(PLACEHOLDERS.split(content)), bool(tokens), target)


def fill(kept, request):
    """The bytes of markup ``kept``, with this reader's token and a new comment timestamp."""
    parts = kept.parts
    if len(parts) == 1:
        return parts[0]
    values = {}
    if kept.csrf:
        values[CSRF_PLACEHOLDER] = csrf_token(request).encode()
    if kept.comment_target:
        from comments.forms import fresh_security_fields

        timestamp, security_hash = fresh_security_fields(*kept.comment_target)
        values[TIMESTAMP_PLACEHOLDER] = timestamp.encode()
        values[HASH_PLACEHOLDER] = security_hash.encode()
    return b"".join([values.get(part, part) if index % 2 else part for index, part in enumerate(parts)])


def csrf_token(request):
    """The reader's CSRF token, as Django's ``get_token`` makes it, from two reads of the random source.

    The same token: the secret of the reader's cookie (a new one for a new
    reader, which CsrfViewMiddleware then sets as the cookie), masked with a
    new random mask. Only the drawing differs: Django reads the system's
    random source once per character, 64 reads for a new reader, which took
    as long as serving the rest of a cached article's page. Here each half
    usually takes one read.
    """
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = _letters(_random_numbers(CSRF_SECRET_LENGTH))
    # As get_token does: the cookie is sent again, which renews its expiry.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_numbers(CSRF_SECRET_LENGTH)
    numbers = secret.encode().translate(_NUMBER_OF_LETTER)
    cipher = bytes((number + shift) % _COUNT for number, shift in zip(numbers, mask, strict=True))
    return _letters(mask) + _letters(cipher)


_COUNT = len(CSRF_ALLOWED_CHARS)
# Bytes at or above this would make some letters likelier than others: they are drawn again.
_UNBIASED_BELOW = 256 - 256 % _COUNT
_LETTER_OF_NUMBER = bytes.maketrans(bytes(range(_COUNT)), CSRF_ALLOWED_CHARS.encode())
_NUMBER_OF_LETTER = bytes.maketrans(CSRF_ALLOWED_CHARS.encode(), bytes(range(_COUNT)))


def _random_numbers(length):
    """``length`` numbers below the count of letters and digits, each as likely, from the system's source."""
    numbers = b""
    while len(numbers) < length:
        numbers += bytes(
            [byte % _COUNT for byte in secrets.token_bytes(length + 4) if byte < _UNBIASED_BELOW]
        )
    return numbers[:length]


def _letters(numbers):
    return numbers.translate(_LETTER_OF_NUMBER).decode()
