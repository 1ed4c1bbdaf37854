from django.urls import path

from . import views

app_name = "audience"

urlpatterns = [
    path("vue/", views.beacon, name="beacon"),
]
