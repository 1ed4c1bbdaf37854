from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("mes-donnees/", views.request_form, name="request"),
    path("mes-donnees/lien/<str:token>/", views.confirm, name="confirm"),
]
