"""A per-address limit on comment posts, counted in the default cache."""

from django.conf import settings
from django.core.cache import cache

from config import security


def client_ip(request) -> str:
    """The poster's address, as the login lockout sees it (DJANGO_TRUSTED_PROXY_COUNT).

    One setting for the whole site: behind a proxy, counting comments under
    the proxy's own address would put every reader under a single limit.
    """
    return security.client_ip(request) or "unknown"


def hit(ip: str) -> bool:
    """Count one post from ``ip``; False once it exceeds COMMENTS_RATE_LIMIT in the period.

    The window starts at the first post and lasts COMMENTS_RATE_PERIOD seconds
    (``add`` sets the expiry once; ``incr`` keeps it on locmem and Redis).
    """
    limit = settings.COMMENTS_RATE_LIMIT
    if not limit:
        return True
    key = f"comments:rate:{ip}"
    if cache.add(key, 1, timeout=settings.COMMENTS_RATE_PERIOD):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=settings.COMMENTS_RATE_PERIOD)
        return True
    return count <= limit
