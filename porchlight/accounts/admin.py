from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from porchlight.accounts.models import AuditEvent, Team, User


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team__kind", "is_active"]
    fieldsets = [*DjangoUserAdmin.fieldsets, ("Porchlight", {"fields": ["role", "team", "languages"]})]
    add_fieldsets = [*DjangoUserAdmin.add_fieldsets, ("Porchlight", {"fields": ["role", "team"]})]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ANN001
        return False
