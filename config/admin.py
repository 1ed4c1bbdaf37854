"""What every admin of the project's models shares."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# The admin's own page titles, worded here so that the French catalogue can
# say them well: Django's French reads "Ajout de article", "Modification de image".
ADMIN_TITLES = [gettext_noop("Add %s"), gettext_noop("Change %s"), gettext_noop("View %s")]

# The largest primary key a database column holds (bigint).
MAX_PK = 2**63 - 1


class CheckedSelectionMixin:
    """An action posted with a selection that names no possible object gets a 400, not a 500.

    The admin's action form only ever posts the ids it listed; anything else
    (an empty id, a word, a number no column holds) is a forged request.
    """

    def response_action(self, request, queryset):
        pk_field = queryset.model._meta.pk
        for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
            try:
                pk = pk_field.to_python(value)
            except ValidationError:
                pk = None
            if pk is None or (isinstance(pk, int) and not -MAX_PK <= pk <= MAX_PK):
                return HttpResponseBadRequest(_("The selection names no object of this list."))
        return super().response_action(request, queryset)
