from django.conf import settings
from django.urls import include, path

from . import views

app_name = "newsletter"


def provider_webhook_patterns() -> list:
    """The mail provider's webhooks (django-anymail), only once their secret is set.

    Without ANYMAIL["WEBHOOK_SECRET"], anymail would accept any caller's
    events, so that anyone could stop the newsletter of any reader: the
    addresses answer 404 instead.
    """
    if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return []
    return [path("anymail/", include("anymail.urls"))]


urlpatterns = [
    path("inscription/", views.subscribe, name="subscribe"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
    *provider_webhook_patterns(),
]
