from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.flatpages import views as flatpage_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from blog.selectors import page_lifetime
from blog.sitemaps import sitemaps
from blog.views import robots_txt
from caching.views import shared_page
from config import views

admin.site.site_header = settings.BLOG_NAME
admin.site.site_title = settings.BLOG_NAME
# The lists need the width: the application menu stays on the admin's home page.
admin.site.enable_nav_sidebar = False
admin.site.index_title = _("Editorial back office")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Before the admin's own pages: its catch-all would answer these addresses.
    path(settings.ADMIN_URL + "securite/", include("accounts.urls")),
    path(settings.ADMIN_URL + "securite/cles/", include("django_otp_webauthn.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path(
        "sitemap.xml",
        shared_page(max_age=page_lifetime)(sitemap),
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
    path("robots.txt", shared_page()(robots_txt), name="robots_txt"),
    # Ours first, and they answer every address under commentaires/ (404 for the stock views):
    # django-comments-xtd's patterns are included only for the names its code reverses.
    path("commentaires/", include("comments.urls")),
    path("commentaires/", include("django_comments_xtd.urls")),
    path("recherche/", include("search.urls")),
    path("lettre/", include("newsletter.urls")),
    path("confidentialite/", include("privacy.urls")),
    path("stats/", include("audience.urls")),
    path("", include("blog.urls")),
    # Static pages ("À propos"…), last: any address ending in a slash that nothing else answers.
    re_path(r"^(?P<url>.*/)$", shared_page(max_age=page_lifetime)(flatpage_views.flatpage), name="flatpage"),
]

handler500 = "config.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.BENCH_MODE:
    from bench.views import reference

    urlpatterns.insert(0, path("__bench__/reference/<int:size>/", reference, name="bench_reference"))
