from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    required_css_class = "required"

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code your authenticator app shows, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false", "size": 12}
        ),
    )


class EnrolmentForm(CodeForm):
    code = forms.RegexField(
        label=_("Code from the app"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=16,
        error_messages={"invalid": _("Type the 6 digits the app shows.")},
        help_text=_("The 6-digit code the app shows for this site once it has the secret."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )
