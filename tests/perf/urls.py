"""A page with a form, to check that cached pages keep working forms."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

FORM = engines["django"].from_string(
    '<form method="post" action="/envoi/">{% csrf_token %}<button>Envoyer</button></form>'
    '<form method="post" action="/envoi/">{% csrf_token %}<button>Encore</button></form>'
)


def form_page(request):
    return HttpResponse(FORM.render({}, request))


def receive(request):
    return HttpResponse("Bien reçu")


urlpatterns = [
    path("formulaire/", form_page, name="form_page"),
    path("envoi/", receive, name="receive"),
    path("", include("config.urls")),
]
