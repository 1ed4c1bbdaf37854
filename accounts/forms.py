from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from blog.models import AuthorProfile


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


class CommentEmailsForm(forms.Form):
    """An author's choice of an e-mail for each comment published on their articles."""

    notify_on_comment = forms.BooleanField(
        label=capfirst(AuthorProfile._meta.get_field("notify_on_comment").verbose_name),
        required=False,
        help_text=_("For the articles you wrote: the comment, a link to it and one to moderate it."),
    )
