"""The offline app's API: download a turf bundle, and sync a batch of attempts and conversations.

Every record carries a client-generated UUID (client_id) and is answered on its own: a bad record is
rejected with its errors while the others are saved; a record sent twice is answered "duplicate" with the
first record's id. The client drops every record answered created or duplicate and flags the rejected ones.

The writes are the field services the web pages use, with the same rules: a conversation and the attempt
that points to it (conversation_client_id) in the same batch are saved together by
conversation_at_target_log — both or neither —, any other attempt by attempt_record.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from porchlight.accounts.http import request_user
from porchlight.accounts.models import User
from porchlight.accounts.permissions import HasCapability
from porchlight.accounts.roles import Capability
from porchlight.api.errors import ERRORS_DETAIL, ERRORS_WRITE
from porchlight.outreach.field.attempts import attempt_conflict
from porchlight.outreach.field.offline import clock_offset, turf_bundle
from porchlight.outreach.field.selectors import target_reportable_by, turf_get_for_worker
from porchlight.outreach.field.services import attempt_record, conversation_at_target_log
from porchlight.outreach.models import Attempt, Conversation, NeedCategory, Outcome, Target
from porchlight.people.models import Language
from porchlight.people.selectors import residents_visible_to

_Record = TypeVar("_Record", Attempt, Conversation)
_T = TypeVar("_T")

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


class Rejected(Exception):  # noqa: N818 - a refused record, reported to the phone; not a fault
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


def _own(model: type[_Record], client_id: uuid.UUID, user: User) -> _Record | None:
    """The user's record with this client_id, or None. Another worker's client_id is refused, never answered
    with their record."""
    existing = model.objects.filter(client_id=client_id).first()
    owner = "made_by_id" if model is Attempt else "held_by_id"
    if existing is not None and getattr(existing, owner) != user.pk:
        raise Rejected({"client_id": ["That client_id belongs to another record."]})
    return existing


def _door(user: User, target_id: int, targets: dict) -> Target:
    target = _reportable(user, target_id, targets)
    if target is None:
        raise Rejected({"target": ["Not a door on one of your turfs."]})
    return target


def _sync_conversation(
    *, data: dict, user: User, offset: dt.timedelta, targets: dict, attempt: dict | None
) -> tuple[Conversation, bool, tuple[Attempt, bool] | None]:
    """A conversation, and the attempt of the same batch that points to it (if any), saved together."""
    existing = _own(Conversation, data["client_id"], user)
    existing_attempt = _own(Attempt, attempt["client_id"], user) if attempt else None
    if existing is not None and (attempt is None or existing_attempt is not None):
        # A repeat is acknowledged even if the turf was taken away since: the records are already in.
        return existing, False, (existing_attempt, False) if existing_attempt else None
    target = _door(user, data["target"], targets)
    resident = None
    if data["resident"]:
        resident = residents_visible_to(user).filter(pk=data["resident"]).first()
        if resident is None:
            raise Rejected({"resident": ["Not a resident of that door."]})
    campaign = target.target_list.campaign
    topics = list(campaign.topics.filter(pk__in=data["topics"]))
    if len(topics) != len(set(data["topics"])):
        raise Rejected({"topics": ["Not a topic of this campaign."]})
    result = conversation_at_target_log(
        actor=user,
        target=target,
        client_id=data["client_id"],
        attempt_client_id=attempt["client_id"] if attempt else None,
        made_at=attempt["made_at"] + offset if attempt else None,
        note=attempt["note"] if attempt else "",
        held_at=data["held_at"] + offset,
        resident=resident,
        language=data["language"],
        topics=topics,
        notes=data["notes"],
        wants_follow_up=data["wants_follow_up"],
        needs=[(n["category"], n["details"]) for n in data["needs"]],
    )
    paired = (result.attempt.attempt, result.attempt.created) if result.attempt else None
    return result.conversation, result.created, paired


def _sync_attempt(*, data: dict, user: User, offset: dt.timedelta, targets: dict) -> tuple[Attempt, bool]:
    existing = _own(Attempt, data["client_id"], user)
    if existing is not None:
        # A repeat is acknowledged even if the turf was taken away since: the record is already in.
        return existing, False
    target = _door(user, data["target"], targets)
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
        target=target,
        outcome=data["outcome"],
        made_at=data["made_at"] + offset,
        callback_at=data["callback_at"],
        note=data["note"],
        conversation=conversation,
    )
    return result.attempt, result.created


def _row(kind: str, raw: object) -> dict:
    client_id = raw.get("client_id") if isinstance(raw, dict) else None
    return {
        "kind": kind,
        "client_id": str(client_id) if client_id else None,
        "status": "rejected",
        "id": None,
        "errors": {},
        "conflict": None,
    }


def _validated(kind: str, raw: object, row: dict) -> dict | None:
    serializer = (AttemptSyncSerializer if kind == "attempt" else ConversationSyncSerializer)(data=raw)
    if not serializer.is_valid():
        row["errors"] = serializer.errors
        return None
    data = dict(serializer.validated_data)
    row["client_id"] = str(data["client_id"])
    return data


def _saved(row: dict, obj: Attempt | Conversation, created: bool) -> None:
    row.update(status="created" if created else "duplicate", id=obj.pk)
    if isinstance(obj, Attempt):
        row["conflict"] = attempt_conflict(attempt=obj)


def _attempt_for(conversation: dict, attempts: list[tuple[dict, dict | None]]) -> tuple[dict, dict] | None:
    """The batch's "conversation held" attempt that points to this conversation at the same door."""
    for row, data in attempts:
        if (
            data is not None
            and row["status"] == "rejected"
            and not row["errors"]
            and data["conversation_client_id"] == conversation["client_id"]
            and data["target"] == conversation["target"]
            and data["outcome"] == Outcome.CONVERSATION
        ):
            return row, data
    return None


def _run(row: dict, step: Callable[[], _T]) -> _T | None:
    """Run one record's write; a refusal becomes the row's errors."""
    try:
        return step()
    except Rejected as exc:
        row["errors"] = exc.errors
    except DjangoValidationError as exc:
        row["errors"] = _errors(exc)
    except ValueError as exc:
        row["errors"] = {"non_field_errors": [str(exc)]}
    return None


def _process_batch(*, conversations: list, attempts: list, user: User, offset: dt.timedelta) -> list[dict]:
    """One answer row per record: conversations (each with the attempt of the batch that points to it), then
    the other attempts, in the order they were sent."""
    targets: dict = {}
    attempt_rows = []
    for raw in attempts:
        row = _row("attempt", raw)
        attempt_rows.append((row, _validated("attempt", raw, row)))
    results = []
    for raw in conversations:
        row = _row("conversation", raw)
        results.append(row)
        data = _validated("conversation", raw, row)
        if data is None:
            continue
        pair = _attempt_for(data, attempt_rows)
        done = _run(
            row,
            partial(
                _sync_conversation,
                data=data,
                user=user,
                offset=offset,
                targets=targets,
                attempt=pair[1] if pair else None,
            ),
        )
        if done is None:
            if pair is not None:  # saved together, refused together
                pair[0].update(errors=row["errors"], paired=True)
            continue
        conversation, created, paired = done
        _saved(row, conversation, created)
        if pair is not None and paired is not None:
            _saved(pair[0], *paired)
            pair[0]["paired"] = True
    for row, data in attempt_rows:
        if data is not None and not row.pop("paired", False):
            done_attempt = _run(
                row, partial(_sync_attempt, data=data, user=user, offset=offset, targets=targets)
            )
            if done_attempt is not None:
                _saved(row, *done_attempt)
        results.append(row)
    return results


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
        if body is None or not isinstance(attempts, list) or not isinstance(conversations, list):
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
        # Conversations first, each with the attempt of the batch that points to it; then the other attempts.
        results = _process_batch(
            conversations=conversations, attempts=attempts, user=request_user(request), offset=offset
        )
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
        turf = turf_get_for_worker(user=request_user(request), pk=int(pk))
        return Response(turf_bundle(user=request_user(request), turf=turf, request=request))
