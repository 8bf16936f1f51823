from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from porchlight.accounts.http import request_user
from porchlight.accounts.models import AuditEvent, Team, User
from porchlight.accounts.services import user_sessions_revoke


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team__kind", "is_active"]
    fieldsets = [
        *(DjangoUserAdmin.fieldsets or ()),
        ("Porchlight", {"fields": ["role", "team", "languages"]}),
    ]
    add_fieldsets = [*DjangoUserAdmin.add_fieldsets, ("Porchlight", {"fields": ["role", "team"]})]
    actions = ["sign_out_everywhere"]

    @admin.action(description=_("Sign out everywhere (end every session and API token)"))
    def sign_out_everywhere(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = list(queryset)
        for user in users:
            user_sessions_revoke(user=user, actor=request_user(request))
        count = len(users)
        text = ngettext("%(n)d user signed out everywhere.", "%(n)d users signed out everywhere.", count)
        self.message_user(request, text % {"n": count}, messages.SUCCESS)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
