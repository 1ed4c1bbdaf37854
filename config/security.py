"""Who is knocking: the client's address and the login name, as login lockouts and rate limits count them."""

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


# django-axes stores the name typed at login in 255-character columns.
LOGIN_NAME_MAX_LENGTH = 255


def login_username(request, credentials):
    """The login name a failed attempt is recorded under, cut to what the database holds.

    Django's login form does not enforce the username's length before
    authenticating, so a bot's 20,000-character name reaches django-axes, and
    PostgreSQL refuses to store it (a 500). NUL bytes are replaced for the same reason.
    """
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None:
        return None
    return str(username).replace("\x00", "")[:LOGIN_NAME_MAX_LENGTH]
