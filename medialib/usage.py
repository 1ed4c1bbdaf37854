"""Where library images are shown: the text fields of other apps that may name them.

An app whose texts can show library images registers the field once (in its
``AppConfig.ready()``); the media library then counts and lists the uses, and
refuses to delete an image that a text still shows. A text uses an image when
it contains the image's stored name, whatever the storage's address.
"""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

TEXT_FIELDS = []


def register_text_field(model, field_name):
    """Declare that ``model.field_name`` holds HTML that may show library images."""
    if (model, field_name) not in TEXT_FIELDS:
        TEXT_FIELDS.append((model, field_name))


def usage_count():
    """An expression counting, for each image of a queryset, the texts that show it."""
    total = Value(0, output_field=IntegerField())
    for model, field_name in TEXT_FIELDS:
        uses = (
            model.objects.filter(**{f"{field_name}__contains": OuterRef("file")})
            .order_by()
            .annotate(group=Value(1))
            .values("group")
            .annotate(count=Count("pk"))
            .values("count")
        )
        total = total + Coalesce(Subquery(uses, output_field=IntegerField()), 0)
    return total


def texts_using(image, limit=20):
    """The objects (articles, pages...) whose text shows ``image``, at most ``limit`` of each kind."""
    found = []
    for model, field_name in TEXT_FIELDS:
        found.extend(model.objects.filter(**{f"{field_name}__contains": image.file.name})[:limit])
    return found
