"""Authors: the user's page with their author profile, and the profiles themselves."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from config.admin import CheckedSelectionMixin

from ..models import AuthorProfile

User = get_user_model()


class AuthorProfileInline(admin.StackedInline):
    model = AuthorProfile
    can_delete = False
    fields = ["display_name", "bio", "website", "notify_on_comment"]


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(CheckedSelectionMixin, auth_admin.UserAdmin):
    """Django's user admin, with the author profile on the same page."""

    inlines = [AuthorProfileInline]
    list_select_related = ["profile"]

    # Accounts (e-mail addresses, roles, superuser flags, last logins) are the
    # superusers' alone, whatever permissions a group was given; editors see
    # the author profiles.
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    list_display = [*auth_admin.UserAdmin.list_display, "display_name"]

    @admin.display(description=_("display name"), ordering="profile__display_name")
    def display_name(self, user):
        profile = getattr(user, "profile", None)
        return profile.display_name if profile else ""


@admin.register(AuthorProfile)
class AuthorProfileAdmin(CheckedSelectionMixin, admin.ModelAdmin):
    list_display = ["display_name", "user", "website"]
    list_select_related = ["user"]
    search_fields = ["display_name", "user__username", "user__email", "bio"]
    autocomplete_fields = ["user"]
