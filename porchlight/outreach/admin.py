from django.contrib import admin

from porchlight.outreach.models import Campaign, Conversation, Need, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "name_es"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "conversation_target"]
    filter_horizontal = ["topics"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["held_at", "campaign", "channel", "language", "held_by"]
    list_filter = ["campaign", "channel", "language"]
    raw_id_fields = ["resident", "address", "area", "held_by"]
    date_hierarchy = "held_at"


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["category", "resident", "created_at"]
    list_filter = ["category"]
    raw_id_fields = ["resident", "conversation"]
