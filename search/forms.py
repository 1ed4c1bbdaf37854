from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import MAX_QUERY_LENGTH, clean_query


class SearchForm(forms.Form):
    """The search box. Anything may be typed in it; what cannot be searched gets a message."""

    q = forms.CharField(
        label=_("Search the articles"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": _("Your search is too long: use at most %(limit_value)d characters."),
        },
        widget=forms.SearchInput,
    )

    def clean_q(self):
        return clean_query(self.cleaned_data["q"])
