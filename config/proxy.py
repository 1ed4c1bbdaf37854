"""The client's address, for login lockouts and rate limits, with or without a reverse proxy."""

from django.conf import settings


def client_ip(request):
    """The address of whoever sent the request.

    With no proxy (``TRUSTED_PROXY_COUNT = 0``), that is ``REMOTE_ADDR``: the
    X-Forwarded-For header is ignored, since any client can forge it. Behind N
    trusted proxies, each appends the address it received the request from, so
    the client is the N-th address from the right; anything to its left was sent
    by the client and is not trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
