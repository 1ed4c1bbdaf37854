"""The staff's own security pages and comment e-mails choice, under the admin's address (config/urls.py)."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("verification/", views.verify, name="verify"),
    path("activation/", views.enrol, name="enrol"),
    path("activation/qrcode.svg", views.qrcode_image, name="qrcode"),
    path("codes-de-secours/", views.backup_codes, name="backup_codes"),
    path("deconnexion-partout/", views.logout_everywhere, name="logout_everywhere"),
    path("e-mails-des-commentaires/", views.comment_emails, name="comment_emails"),
    path("cle/<int:pk>/suppression/", views.security_key_remove, name="security_key_remove"),
]
