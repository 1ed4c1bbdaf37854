"""The site's URLs with the mail provider's webhook, as newsletter.urls mounts it once its secret is set."""

from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("lettre/anymail/", include("anymail.urls")), *site_urlpatterns]
