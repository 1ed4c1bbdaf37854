"""Hostile strings that bots and scanners send to public forms and addresses."""

XSS = [
    "<script>alert('xss')</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "javascript:alert(document.cookie)",
    '<a href="javascript:alert(1)">clic</a>',
    "<iframe src=//evil.example></iframe>",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "</textarea><script>alert(1)</script>",
    "<body onload=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]

SQLISH = [
    "' OR '1'='1",
    "1; DROP TABLE blog_article; --",
    '" OR 1=1 --',
    "1' UNION SELECT username, password FROM auth_user --",
    "%' AND 1=0 UNION SELECT NULL --",
    "\\'; SELECT pg_sleep(10); --",
]

ODD = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil",
    "😀" * 50,
    "é" * 3000,
    "x" * 20000,
    "\r\nSet-Cookie: hacked=1",
    "../../../../etc/passwd",
    "%00",
    "%FF%FE",
]

ALL = XSS + SQLISH + ODD

# Markers whose presence, unescaped, in a page would mean an injection worked.
DANGEROUS_MARKUP = ["<script>alert", "<img src=x", "<svg/onload", "<iframe src=//evil", "<body onload"]


def assert_no_raw_markup(html, payload=None):
    """The page contains none of the payloads' active markup as markup."""
    for marker in DANGEROUS_MARKUP:
        assert marker not in html, f"unescaped {marker!r} in the page"
    if payload and "<" in payload:
        assert payload not in html, f"payload {payload!r} echoed unescaped"
