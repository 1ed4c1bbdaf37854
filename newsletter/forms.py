from django import forms
from django.utils.translation import gettext_lazy as _

from blog.models import Category

from .models import Subscriber


class PreferencesForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.EACH,
        widget=forms.RadioSelect,
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the whole blog."),
    )


class SubscribeForm(PreferencesForm):
    """The subscription form: the same on every page (no per-reader value), so it may be cached."""

    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    # Left empty by people; filled by the robots that fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    field_order = ["email", "frequency", "categories", "website"]

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("This field must stay empty."))
        return ""
