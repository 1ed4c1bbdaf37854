"""Old WordPress links of the form ``/?p=123`` keep working after an import.

The redirects app compares paths only, so it cannot tell ``/?p=1`` from
``/?p=2``; this middleware answers those links with a permanent redirect to
what the WordPress item became, when it is public. Anything else goes on to
the home page as usual.
"""

from django.contrib.flatpages.models import FlatPage
from django.http import HttpResponsePermanentRedirect

from blog.models import Article, Category
from wordpress.models import ImportedItem

# Query parameter → (kind of imported item, model).
WORDPRESS_PARAMETERS = {
    "p": (ImportedItem.Kind.POST, Article),
    "page_id": (ImportedItem.Kind.PAGE, FlatPage),
    "cat": (ImportedItem.Kind.CATEGORY, Category),
}
WORDPRESS_PATHS = {"/", "/index.php"}


class WordPressLinkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in WORDPRESS_PATHS and request.method in ("GET", "HEAD"):
            target = self.target(request)
            if target:
                return HttpResponsePermanentRedirect(target)
        return self.get_response(request)

    @staticmethod
    def target(request):
        for parameter, (kind, model) in WORDPRESS_PARAMETERS.items():
            value = request.GET.get(parameter, "")
            if not value.isdigit():
                continue
            object_id = (
                ImportedItem.objects.filter(kind=kind, wp_id=value, object_id__isnull=False)
                .order_by("-imported_at")
                .values_list("object_id", flat=True)
                .first()
            )
            if object_id is None:
                return None
            if model is Article:
                obj = Article.objects.published().filter(pk=object_id).first()
            elif model is FlatPage:
                obj = FlatPage.objects.filter(pk=object_id, registration_required=False).first()
            else:
                obj = model.objects.filter(pk=object_id).first()
            return obj.get_absolute_url() if obj is not None else None
        return None
