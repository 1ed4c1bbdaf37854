"""The audit trail and staff accounts' recovery (superusers only); the way to one's security page."""

import json
from importlib import import_module

from django.apps import apps
from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.admin import CheckedSelectionMixin

from . import services
from .models import AccountSecurity, AuditEntry, StaffAccount

# django-otp's own device pages would let a superuser add a device for someone
# else; recovery goes through the staff accounts' page below instead. Their
# modules are imported first, so that they have registered whatever the order
# of INSTALLED_APPS (this app comes before django-otp's).
import_module("django_otp.plugins.otp_totp.admin")
import_module("django_otp.plugins.otp_static.admin")
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


def kind_name(label):
    """The model's name as editors read it ("article"), or its label if the model is gone."""
    try:
        return apps.get_model(label)._meta.verbose_name
    except (LookupError, ValueError):
        return label


class TargetTypeFilter(admin.SimpleListFilter):
    title = _("kind of object")
    parameter_name = "target_type"

    def lookups(self, request, model_admin):
        labels = AuditEntry.objects.exclude(target_type="").values_list("target_type", flat=True)
        return [(label, kind_name(label)) for label in labels.distinct().order_by("target_type")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(target_type=self.value())
        return queryset


class SuperuserOnlyMixin:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(AuditEntry)
class AuditEntryAdmin(SuperuserOnlyMixin, CheckedSelectionMixin, admin.ModelAdmin):
    """Read only, for superusers: entries leave only through the retention purge."""

    list_display = ["at", "action", "actor_column", "target_column", "details_column"]
    list_filter = ["action", "at", TargetTypeFilter]
    search_fields = ["actor_name", "target_repr", "target_id"]
    date_hierarchy = "at"
    list_select_related = []
    list_per_page = 50
    fields = [
        "at",
        "action",
        "actor_name",
        "actor_id",
        "target_type",
        "target_id",
        "target_repr",
        "details_pretty",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("by"), ordering="actor_name")
    def actor_column(self, entry):
        return entry.actor_name or "—"

    @admin.display(description=_("object"), ordering="target_repr")
    def target_column(self, entry):
        if not entry.target_repr:
            return "—"
        return format_html(
            '{} <span class="quiet">({})</span>', entry.target_repr, kind_name(entry.target_type)
        )

    @admin.display(description=_("details"))
    def details_column(self, entry):
        if not entry.details:
            return "—"
        text = json.dumps(entry.details, ensure_ascii=False, sort_keys=True)
        return text if len(text) <= 120 else text[:119] + "…"

    @admin.display(description=_("details"))
    def details_pretty(self, entry):
        return format_html(
            "<pre>{}</pre>", json.dumps(entry.details, ensure_ascii=False, indent=2, sort_keys=True)
        )


class SecondFactorFilter(admin.SimpleListFilter):
    title = _("two-factor authentication")
    parameter_name = "second_factor"

    def lookups(self, request, model_admin):
        return [("yes", _("Set up")), ("no", _("Not set up"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(has_app=self.value() == "yes")
        return queryset


@admin.register(StaffAccount)
class StaffAccountAdmin(SuperuserOnlyMixin, CheckedSelectionMixin, admin.ModelAdmin):
    """Superusers' recovery desk: which staff account has a second factor, resetting it, closing sessions.

    The accounts themselves (names, roles, passwords) are edited on the users' page.
    """

    list_display = [
        "username",
        "is_superuser",
        "second_factor_column",
        "backup_codes_column",
        "security_keys_column",
        "last_login",
    ]
    list_filter = ["is_superuser", SecondFactorFilter]
    search_fields = ["username", "first_name", "last_name", "email"]
    date_hierarchy = "last_login"
    list_select_related = []
    fields = [
        "username",
        "is_superuser",
        "last_login",
        "second_factor_column",
        "backup_codes_column",
        "security_keys_column",
    ]
    readonly_fields = fields
    actions = ["reset_second_factor", "log_out_everywhere"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(is_staff=True)
            .annotate(
                has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
                codes_left=Count(
                    "staticdevice__token_set", filter=Q(staticdevice__confirmed=True), distinct=True
                ),
                keys=Count("webauthncredential", filter=Q(webauthncredential__confirmed=True), distinct=True),
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_recover_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    @admin.display(description=_("two-factor authentication"), boolean=True, ordering="has_app")
    def second_factor_column(self, account):
        return account.has_app

    @admin.display(description=_("backup codes left"), ordering="codes_left")
    def backup_codes_column(self, account):
        return account.codes_left

    @admin.display(description=_("security keys"), ordering="keys")
    def security_keys_column(self, account):
        return account.keys

    @admin.action(
        description=_("Reset two-factor authentication (they set it up again at their next login)"),
        permissions=["recover"],
    )
    def reset_second_factor(self, request, queryset):
        for account in queryset:
            services.two_factor_reset(user=account, actor=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication was reset for %(count)d account; its sessions were closed.",
                "Two-factor authentication was reset for %(count)d accounts; their sessions were closed.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Log out everywhere"), permissions=["recover"])
    def log_out_everywhere(self, request, queryset):
        for account in queryset:
            services.sessions_revoke(user=account, actor=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Every session of %(count)d account was closed.",
                "Every session of %(count)d accounts was closed.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(AccountSecurity)
class AccountSecurityAdmin(admin.ModelAdmin):
    """Not a list: the admin home's way to one's own security page (listed for superusers,
    beside the trail; other staff reach it from the address ``accounts:account``)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return redirect("accounts:account")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("accounts:account")
