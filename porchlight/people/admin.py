from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from porchlight.people.models import Email, Phone, Resident


class PhoneInline(admin.TabularInline):
    model = Phone
    extra = 0


class EmailInline(admin.TabularInline):
    model = Email
    extra = 0


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "preferred_language", "consent_to_contact", "do_not_contact"]
    list_filter = ["preferred_language", "do_not_contact", "consent_to_contact"]
    search_fields = ["first_name", "last_name", "phones__number"]
    raw_id_fields = ["address", "household", "created_by"]
    inlines = [PhoneInline, EmailInline]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # A resident's record read through the admin is audited like any other view of it.
        from porchlight.accounts.http import request_user
        from porchlight.accounts.services import audit_record

        audit_record(
            actor=request_user(request),
            action="view",
            object_type="people.resident",
            object_id=str(object_id),
            detail="admin",
            request=request,
        )
        return super().change_view(request, object_id, form_url, extra_context)
