"""A per-address limit on comment posts, counted in the default cache."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The poster's address; behind a trusted proxy, the last X-Forwarded-For hop.

    The last entry is the one our own proxy added; earlier ones are whatever
    the client chose to send.
    """
    if settings.COMMENTS_TRUST_X_FORWARDED_FOR:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


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
