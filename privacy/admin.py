"""The erasure log, and the staff page to look up, export and erase one person's data.

The page is a view of the log's ModelAdmin (``get_urls``), behind the admin's
login and CSRF protection, for superusers and holders of
``privacy.manage_personal_data``. The address travels in POST bodies only,
never in a URL (which servers log).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors, services
from .exports import FORMATS
from .forms import EmailForm
from .models import ErasureRecord
from .views import download

MANAGE_PERMISSION = "privacy.manage_personal_data"


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "source",
        "actor",
        "comments_deleted",
        "comments_anonymised",
        "followups_stopped",
        "subscriptions_deleted",
        "login_records_deleted",
    ]
    list_filter = ["source", "at"]
    list_select_related = ["actor"]
    date_hierarchy = "at"
    search_fields = ["subject_digest"]
    search_help_text = gettext_lazy("Type an e-mail address to find out whether it was erased before.")
    fields = [
        "at",
        "source",
        "actor",
        "subject_digest",
        "comments_deleted",
        "comments_anonymised",
        "followups_stopped",
        "subscriptions_deleted",
        "login_records_deleted",
    ]
    readonly_fields = fields

    def get_search_results(self, request, queryset, search_term):
        """The log holds no address: the term is hashed as the erasure hashed it."""
        term = search_term.strip()
        if not term:
            return queryset, False
        try:
            email = selectors.clean_email(term)
        except selectors.InvalidEmail:
            return queryset.none(), False
        return queryset.filter(subject_digest=services.address_digest(email)), False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or request.user.has_perm(MANAGE_PERMISSION)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or request.user.has_perm(MANAGE_PERMISSION)

    def get_urls(self):
        view = self.admin_site.admin_view(self.personal_data_view)
        return [
            path("donnees/", view, name="privacy_erasurerecord_personal_data"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_manage": request.user.has_perm(MANAGE_PERMISSION)}
        return super().changelist_view(request, extra_context)

    def personal_data_view(self, request):
        """Look up (POST "lookup"), download ("json"/"html"), erase ("erase", then "erase_confirmed")."""
        if not request.user.has_perm(MANAGE_PERMISSION):
            raise PermissionDenied
        step = request.POST.get("step", "lookup") if request.method == "POST" else None
        form = EmailForm(request.POST if step else None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("A person's data"),
            "form": form,
            "data": None,
            "confirm_erasure": False,
        }
        if step and form.is_valid():
            email = form.cleaned_data["email"]
            if step in FORMATS:
                return download(selectors.personal_data(email=email), format=step)
            if step == "erase_confirmed":
                report = services.personal_data_erase(
                    email=email, source=ErasureRecord.Source.ADMIN, actor=request.user
                )
                self.message_user(request, erasure_message(report), messages.SUCCESS)
                return redirect(reverse("admin:privacy_erasurerecord_changelist"))
            context["data"] = selectors.personal_data(email=email)
            context["previous_erasures"] = services.previous_erasures(email=email)[:5]
            context["confirm_erasure"] = step == "erase"
        status = 400 if step and not form.is_valid() else 200
        return TemplateResponse(request, "admin/privacy/personal_data.html", context, status=status)


def erasure_message(report: services.ErasureReport) -> str:
    message = services.nothing_erased_message()
    if report.erased_anything:
        message = _("Erased: %(summary)s") % {"summary": report.summary()}
    if report.accounts_kept:
        message += " " + services.account_kept_message()
    return message
