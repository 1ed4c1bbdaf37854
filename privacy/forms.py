from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors, services


class EmailForm(forms.Form):
    email = forms.CharField(label=_("E-mail address"), max_length=selectors.EMAIL_MAX_LENGTH)

    def clean_email(self):
        try:
            return selectors.clean_email(self.cleaned_data["email"])
        except selectors.InvalidEmail as error:
            raise forms.ValidationError(error.message, code="invalid")


class RequestForm(EmailForm):
    """A reader's request: the same form for everyone (no per-reader value)."""

    action = forms.ChoiceField(
        label=_("I would like"),
        choices=[
            (services.EXPORT, _("a copy of my data")),
            (services.ERASE, _("the erasure of my data")),
        ],
        initial=services.EXPORT,
        widget=forms.RadioSelect,
    )
    # Left empty by people; filled by the robots that fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    field_order = ["email", "action", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Your e-mail address")

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("This field must stay empty."))
        return ""
