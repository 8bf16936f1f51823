"""The offline app's API: download a turf bundle, and sync a batch of attempts and conversations.

Every record carries a client-generated UUID (client_id) and is processed on its own: a bad record is
rejected with its errors while the others are saved; a record sent twice is answered "duplicate" with the
first record's id. The client drops every record answered created or duplicate and flags the rejected ones.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from porchlight.accounts.models import User
from porchlight.accounts.permissions import HasCapability
from porchlight.accounts.roles import Capability
from porchlight.api.errors import ERRORS_DETAIL, ERRORS_WRITE
from porchlight.outreach.attempts import attempt_record
from porchlight.outreach.models import Attempt, Conversation, NeedCategory, Target
from porchlight.outreach.offline import (
    attempt_conflict,
    clock_offset,
    target_reportable_by,
    turf_bundle,
    turf_get_for_worker,
)
from porchlight.outreach.services import conversation_capture
from porchlight.people.models import Language
from porchlight.people.selectors import residents_visible_to

# Records per request. A worker's day is ~100 doors; the app sends 50 at a time.
SYNC_MAX_RECORDS: int = getattr(settings, "OFFLINE_SYNC_MAX_RECORDS", 200)


class AttemptSyncSerializer(serializers.Serializer):
    client_id = serializers.UUIDField()
    target = serializers.IntegerField()
    outcome = serializers.CharField(max_length=20)
    made_at = serializers.DateTimeField()
    callback_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    conversation_client_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class NeedSyncSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=NeedCategory.choices)
    details = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ConversationSyncSerializer(serializers.Serializer):
    client_id = serializers.UUIDField()
    target = serializers.IntegerField()
    held_at = serializers.DateTimeField()
    resident = serializers.IntegerField(required=False, allow_null=True, default=None)
    language = serializers.ChoiceField(choices=Language.choices, default=Language.ENGLISH)
    topics = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    wants_follow_up = serializers.BooleanField(required=False, default=False)
    needs = NeedSyncSerializer(many=True, required=False, default=list)


class Rejected(Exception):
    def __init__(self, errors: dict) -> None:
        super().__init__(errors)
        self.errors = errors


def _reportable(user: User, target_id: int, cache: dict[int, Target | None]) -> Target | None:
    """target_reportable_by, asked once per door per request (a batch often holds many knocks on one turf)."""
    if target_id not in cache:
        cache[target_id] = target_reportable_by(user=user, target_id=target_id)
    return cache[target_id]


def _errors(exc: DjangoValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}


def _owned_elsewhere(model: type[Attempt] | type[Conversation], client_id: uuid.UUID, user: User) -> bool:
    """A client_id already used by another worker: never answer with their record."""
    owner = "made_by_id" if model is Attempt else "held_by_id"
    return model.objects.filter(client_id=client_id).exclude(**{owner: user.pk}).exists()


def _sync_conversation(*, data: dict, user: User, offset, targets: dict) -> tuple[Conversation, bool]:  # noqa: ANN001
    if _owned_elsewhere(Conversation, data["client_id"], user):
        raise Rejected({"client_id": ["That client_id belongs to another record."]})
    existing = Conversation.objects.filter(client_id=data["client_id"]).first()
    if existing is not None:
        return existing, False
    target = _reportable(user, data["target"], targets)
    if target is None:
        raise Rejected({"target": ["Not a door on one of your turfs."]})
    campaign = target.target_list.campaign
    resident = None
    if data["resident"]:
        resident = residents_visible_to(user).filter(pk=data["resident"]).first()
        at_door = resident is not None and (
            resident.pk == target.resident_id
            or (target.address_id and resident.address_id == target.address_id)
        )
        if not at_door:
            raise Rejected({"resident": ["Not a resident of that door."]})
    topics = list(campaign.topics.filter(pk__in=data["topics"]))
    if len(topics) != len(set(data["topics"])):
        raise Rejected({"topics": ["Not a topic of this campaign."]})
    result = conversation_capture(
        actor=user,
        client_id=data["client_id"],
        campaign=campaign,
        channel="door",
        held_at=data["held_at"] + offset,
        resident=resident,
        address=target.address or (resident.address if resident else None),
        language=data["language"],
        topics=topics,
        notes=data["notes"],
        wants_follow_up=data["wants_follow_up"],
        needs=[(n["category"], n["details"]) for n in data["needs"]],
    )
    return result.conversation, result.created


def _sync_attempt(*, data: dict, user: User, offset, targets: dict) -> tuple[Attempt, bool]:  # noqa: ANN001
    if _owned_elsewhere(Attempt, data["client_id"], user):
        raise Rejected({"client_id": ["That client_id belongs to another record."]})
    existing = Attempt.objects.filter(client_id=data["client_id"]).first()
    if existing is not None:
        # A repeat is acknowledged even if the turf was taken away since: the record is already in.
        return existing, False
    target = _reportable(user, data["target"], targets)
    if target is None:
        raise Rejected({"target": ["Not a door on one of your turfs."]})
    conversation = None
    if data["conversation_client_id"]:
        conversation = Conversation.objects.filter(
            client_id=data["conversation_client_id"], held_by=user
        ).first()
        if conversation is None:
            raise Rejected(
                {"conversation_client_id": ["Send the conversation with (or before) its attempt."]}
            )
    result = attempt_record(
        actor=user,
        client_id=data["client_id"],
        campaign=target.target_list.campaign,
        channel="door",
        outcome=data["outcome"],
        made_at=data["made_at"] + offset,
        target=target,
        callback_at=data["callback_at"],
        note=data["note"],
        conversation=conversation,
    )
    return result.attempt, result.created


def _process(kind: str, raw: object, user: User, offset, targets: dict) -> dict:  # noqa: ANN001
    client_id = raw.get("client_id") if isinstance(raw, dict) else None
    row: dict = {
        "kind": kind,
        "client_id": str(client_id) if client_id else None,
        "status": "rejected",
        "id": None,
        "errors": {},
        "conflict": None,
    }
    serializer = (AttemptSyncSerializer if kind == "attempt" else ConversationSyncSerializer)(data=raw)
    if not serializer.is_valid():
        row["errors"] = serializer.errors
        return row
    data = dict(serializer.validated_data)
    row["client_id"] = str(data["client_id"])
    try:
        if kind == "attempt":
            obj, created = _sync_attempt(data=data, user=user, offset=offset, targets=targets)
        else:
            obj, created = _sync_conversation(data=data, user=user, offset=offset, targets=targets)
    except Rejected as exc:
        row["errors"] = exc.errors
        return row
    except DjangoValidationError as exc:
        row["errors"] = _errors(exc)
        return row
    except ValueError as exc:
        row["errors"] = {"non_field_errors": [str(exc)]}
        return row
    row.update(status="created" if created else "duplicate", id=obj.pk)
    if kind == "attempt":
        row["conflict"] = attempt_conflict(attempt=obj)
    return row


class SyncView(APIView):
    """POST a batch of offline records; each is answered on its own (created, duplicate or rejected)."""

    permission_classes = [HasCapability(Capability.LOG_CONVERSATIONS)]

    @extend_schema(
        request=inline_serializer(
            "SyncBatch",
            {
                "attempts": AttemptSyncSerializer(many=True, required=False),
                "conversations": ConversationSyncSerializer(many=True, required=False),
                "sent_at": serializers.DateTimeField(required=False),
            },
        ),
        responses={
            200: inline_serializer("SyncResults", {"results": serializers.ListField()}),
            413: OpenApiResponse(description="More records than OFFLINE_SYNC_MAX_RECORDS in one request."),
            **ERRORS_WRITE,
        },
    )
    def post(self, request: Request) -> Response:
        body = request.data if isinstance(request.data, dict) else None
        attempts = body.get("attempts", []) if body else None
        conversations = body.get("conversations", []) if body else None
        if not isinstance(attempts, list) or not isinstance(conversations, list):
            return Response(
                {"detail": 'Send {"attempts": [...], "conversations": [...]}.'},
                status=status.HTTP_400_BAD_REQUEST,
            )
        count = len(attempts) + len(conversations)
        if count > SYNC_MAX_RECORDS:
            return Response(
                {
                    "detail": f"At most {SYNC_MAX_RECORDS} records per request; this one has {count}.",
                    "max_records": SYNC_MAX_RECORDS,
                },
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        sent_at = serializers.DateTimeField(required=False, allow_null=True)
        try:
            client_now = sent_at.to_internal_value(body["sent_at"]) if body.get("sent_at") else None
        except serializers.ValidationError as exc:
            return Response({"sent_at": exc.detail}, status=status.HTTP_400_BAD_REQUEST)
        offset = clock_offset(client_now=client_now)
        user = request.user
        # Conversations first, so that an attempt in the same batch finds the conversation it points to.
        targets: dict = {}
        results = [_process("conversation", raw, user, offset, targets) for raw in conversations]
        results += [_process("attempt", raw, user, offset, targets) for raw in attempts]
        return Response({"results": results, "max_records": SYNC_MAX_RECORDS})


class TurfBundleView(APIView):
    """Everything the offline app needs for one of the worker's turfs (404 for anyone else's)."""

    permission_classes = [HasCapability(Capability.LOG_CONVERSATIONS)]

    @extend_schema(
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The turf's id.")],
        responses={200: inline_serializer("TurfBundle", {"turf": serializers.DictField()}), **ERRORS_DETAIL},
    )
    def get(self, request: Request, pk: str) -> Response:
        if not str(pk).isdigit():
            raise NotFound
        turf = turf_get_for_worker(user=request.user, pk=int(pk))
        return Response(turf_bundle(user=request.user, turf=turf, request=request))
