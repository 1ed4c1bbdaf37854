"""Static pages, written with the rich text editor and cleaned like articles."""

from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin as BaseFlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage

from config.admin import CheckedSelectionMixin
from medialib.widgets import rich_text_widget


class FlatPageEditorForm(FlatpageForm):
    class Meta(FlatpageForm.Meta):
        widgets = {"content": rich_text_widget()}


admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class FlatPageAdmin(CheckedSelectionMixin, BaseFlatPageAdmin):
    """Static pages get the same editor as articles (their HTML is sanitised on save)."""

    form = FlatPageEditorForm
