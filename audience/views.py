"""The beacon: one POST per article page shown, from audience/static/audience/beacon.js."""

import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config import security

from . import services

logger = logging.getLogger(__name__)

# A beacon's body is "article=123&ref=example.org": anything longer is not ours.
MAX_BODY = 512


def declines_tracking(request) -> bool:
    """The reader asked not to be counted: Do Not Track or Global Privacy Control (no cookie needed)."""
    return request.headers.get("DNT", "").strip() == "1" or request.headers.get("Sec-GPC", "").strip() == "1"


def over_rate_limit(request) -> bool:
    """More than AUDIENCE_RATE_LIMIT beacons this minute from one client.

    The client is named by a keyed hash of its address and the current
    minute, kept in the cache for two minutes: no address is stored, and the
    name changes every minute, so it cannot follow a reader. A cache that
    does not answer lets the beacon through (it will not be counted either).
    """
    limit = settings.AUDIENCE_RATE_LIMIT
    if not limit:
        return False
    minute = int(time.time()) // 60
    name = hmac.new(
        settings.SECRET_KEY.encode(), f"{security.client_ip(request)}|{minute}".encode(), hashlib.sha256
    ).hexdigest()[:24]
    key = f"audience:rate:{name}"
    try:
        if cache.add(key, 1, timeout=120):
            return False
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        return False
    # The cache backends raise their own connection errors (redis, memcached...).
    except Exception:
        return False
    return count is not None and count > limit


def no_content():
    return HttpResponse(status=204)


# CSRF-exempt: the beacon changes no user's state, reads and sets no cookie and
# needs no session; a forged post can at worst add one view, as a reader
# opening the page would (and the rate limit bounds that). sendBeacon cannot
# send a CSRF token header, and cached pages carry no per-reader token.
@csrf_exempt
@never_cache
@require_POST
def beacon(request):
    """Count one view of an article; always 204 (413 for an oversized body), whatever is sent."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        return HttpResponse(status=413)
    body = request.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        return HttpResponse(status=413)
    if (
        not settings.AUDIENCE_ENABLED
        or declines_tracking(request)
        or services.is_bot(request.headers.get("User-Agent", ""))
        or over_rate_limit(request)
    ):
        return no_content()
    data = QueryDict(body.decode("utf-8", errors="replace"))
    article_id = services.article_id_of(data.get("article", ""))
    if article_id is None:
        return no_content()
    try:
        own_host = request.get_host()
    except Exception:  # DisallowedHost is answered 400 earlier; keep the beacon quiet anyway
        own_host = ""
    domain = services.referrer_domain(data.get("ref", ""), own_host=own_host)
    services.view_count(article_id=article_id, domain=domain)
    return no_content()
