from django.contrib import admin

from porchlight.services.models import Organization, Program


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "team"]
    search_fields = ["name"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "category", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "organization__name"]
