from django.contrib import admin

from porchlight.directory.models import Location, Organization, Program


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "team"]
    search_fields = ["name"]
    readonly_fields = ["hsds_id"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "address_1", "postal_code"]
    search_fields = ["name", "organization__name", "address_1"]
    readonly_fields = ["hsds_id"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "category", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "organization__name"]
    readonly_fields = ["hsds_id"]
    filter_horizontal = ["areas_served", "locations"]
