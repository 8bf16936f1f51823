from django.contrib import admin

from porchlight.cases.models import Referral


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["resident", "program", "status", "owner", "created_at"]
    list_filter = ["status", "program__category"]
    raw_id_fields = ["need", "resident", "owner", "created_by"]
