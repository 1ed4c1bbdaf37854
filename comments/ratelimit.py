"""A per-address limit on comment posts, counted in the default cache."""

import logging

from django.conf import settings
from django.core.cache import cache

from config import security

logger = logging.getLogger(__name__)


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
    A cache that cannot count (Redis down) lets the post through: the other
    defences still apply, and a reader's comment is not lost to an outage.
    """
    limit = settings.COMMENTS_RATE_LIMIT
    if not limit:
        return True
    key = f"comments:rate:{ip}"
    try:
        if cache.add(key, 1, timeout=settings.COMMENTS_RATE_PERIOD):
            return True
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=settings.COMMENTS_RATE_PERIOD)
        return True
    # The cache backends raise their own connection errors (redis, memcached...).
    except Exception:
        logger.warning("The comment rate limit is off: the cache does not answer.", exc_info=True)
        return True
    if count is None:  # django-redis with IGNORE_EXCEPTIONS answers None when Redis is down
        logger.warning("The comment rate limit is off: the cache does not answer.")
        return True
    return count <= limit


def refund(ip: str) -> None:
    """Take back the post counted by ``hit``: it was refused for a reason that is no abuse.

    Counting every post first, then giving back the honest refusals (an empty
    comment, a form posted too quickly), keeps a burst of parallel posts
    under the limit while a reader who corrects a mistake is not blocked.
    """
    if not settings.COMMENTS_RATE_LIMIT:
        return
    try:
        cache.decr(f"comments:rate:{ip}")
    except ValueError:  # the window expired meanwhile: nothing left to give back
        pass
    except Exception:
        logger.warning("The comment rate limit was not updated: the cache does not answer.", exc_info=True)
