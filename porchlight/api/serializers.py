from __future__ import annotations

from typing import Any

from rest_framework import serializers

from porchlight.outreach.models import Campaign, Channel, Conversation, NeedCategory, Topic
from porchlight.outreach.selectors import conversation_text_for
from porchlight.people.models import Language, Resident
from porchlight.places.models import Address


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name", "name_es"]


class CampaignSerializer(serializers.ModelSerializer):
    topics = TopicSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "start_date", "end_date", "languages", "conversation_target", "topics"]


class ResidentSerializer(serializers.ModelSerializer):
    phones: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="number"
    )
    emails: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="address"
    )
    address: serializers.StringRelatedField[Address] = serializers.StringRelatedField()

    class Meta:
        model = Resident
        fields = ["id", "first_name", "last_name", "preferred_language", "phones", "emails", "address",
                  "consent_to_contact", "do_not_contact"]


class NeedInSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=NeedCategory.choices)
    details = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class NewResidentSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    preferred_language = serializers.ChoiceField(choices=Language.choices, default=Language.ENGLISH)
    consent_to_contact = serializers.BooleanField(default=False)


class ConversationInSerializer(serializers.Serializer):
    """A conversation as an offline client sends it. `client_id` makes the request safe to retry."""

    client_id = serializers.UUIDField()
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())
    channel = serializers.ChoiceField(choices=Channel.choices)
    held_at = serializers.DateTimeField()
    resident = serializers.IntegerField(required=False, allow_null=True, default=None)
    new_resident = NewResidentSerializer(required=False, allow_null=True, default=None)
    area = serializers.IntegerField(required=False, allow_null=True, default=None)
    language = serializers.ChoiceField(choices=Language.choices, default=Language.ENGLISH)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=600, required=False, allow_null=True,
                                                default=None)
    topics = serializers.PrimaryKeyRelatedField(queryset=Topic.objects.all(), many=True, required=False,
                                                default=list)
    notes = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    what_matters_most = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    ideas = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    wants_follow_up = serializers.BooleanField(default=False)
    needs = NeedInSerializer(many=True, required=False, default=list)

    def validate(self, attrs: dict) -> dict:
        if attrs.get("resident") and attrs.get("new_resident"):
            raise serializers.ValidationError("Give either resident or new_resident, not both.")
        return attrs


class ConversationOutSerializer(serializers.ModelSerializer):
    topics: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name"
    )
    needs = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = ["id", "client_id", "campaign", "channel", "held_at", "held_by", "team", "resident", "area",
                  "language", "duration_minutes", "topics", "notes", "what_matters_most", "ideas",
                  "wants_follow_up", "needs", "created_at"]

    def get_needs(self, obj: Conversation) -> list[str]:
        return [n.category for n in obj.needs.all()]

    def to_representation(self, instance: Conversation) -> dict:
        user = self.context["request"].user
        data = super().to_representation(conversation_text_for(user=user, conversation=instance))
        if not user.can("view_residents"):
            data["resident"] = None  # analysts read notes, never who said them
        return data
