"""The site's URLs plus uploaded files served from the default storage, for browser tests
(the test settings keep files in memory, where no web server can see them)."""

import mimetypes

from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def serve_media(request, name):
    storage = storages["default"]
    if not storage.exists(name):
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(storage.open(name, "rb"), content_type=content_type)


urlpatterns = [path("media/<path:name>", serve_media), *site_urlpatterns]
