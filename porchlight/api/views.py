from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from porchlight.accounts.http import request_user
from porchlight.accounts.models import User
from porchlight.accounts.permissions import HasCapability
from porchlight.accounts.reads import audit_record_list
from porchlight.accounts.roles import Capability
from porchlight.accounts.services import audit_record
from porchlight.api.errors import ERRORS_DETAIL, ERRORS_LIST, ERRORS_WRITE
from porchlight.api.serializers import (
    CampaignSerializer,
    ConversationInSerializer,
    ConversationOutSerializer,
    ResidentSerializer,
)
from porchlight.api.throttling import ExportThrottle, ReadThrottle
from porchlight.outreach.models import Campaign, Conversation
from porchlight.outreach.selectors import conversations_visible_to
from porchlight.outreach.services import conversation_capture
from porchlight.people.models import Resident
from porchlight.people.selectors import residents_search, residents_visible_to
from porchlight.places.models import Area
from porchlight.ui.exports import csv_writer

if TYPE_CHECKING:
    from rest_framework.permissions import _SupportsHasPermission


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
def not_found(request: Request) -> Response:
    """Any other path under /api/: the API's JSON 404, as the schema says, not the site's HTML page."""
    raise NotFound


@extend_schema_view(
    list=extend_schema(responses={200: CampaignSerializer(many=True), **ERRORS_LIST}),
    retrieve=extend_schema(responses={200: CampaignSerializer, **ERRORS_DETAIL}),
)
class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Campaign.objects.prefetch_related("topics").order_by("id")
    serializer_class = CampaignSerializer
    permission_classes = [HasCapability()]  # any signed-in user: campaign names and dates are not personal


class ResidentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ResidentSerializer
    permission_classes = [HasCapability(Capability.VIEW_RESIDENTS)]

    def get_queryset(self) -> QuerySet[Resident]:
        user = self.request.user
        if not isinstance(user, User):  # no one signed in (drf-spectacular reading the model): no one
            return Resident.objects.none()
        query = self.request.query_params.get("q", "")
        qs = residents_search(user=user, query=query) if query else residents_visible_to(user)
        return qs.select_related("address").prefetch_related("phones", "emails").order_by("id")

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Name, phone or street address")],
        responses={200: ResidentSerializer(many=True), **ERRORS_LIST},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        audit_record_list(
            actor=request_user(request),
            object_type="people.resident",
            ids=[row["id"] for row in response.data["results"]],
            kind="api search" if request.query_params.get("q") else "api list",
            request=request,
        )
        return response

    @extend_schema(responses={200: ResidentSerializer, **ERRORS_DETAIL})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        resident = self.get_object()
        audit_record(actor=request_user(request), action="view", obj=resident, detail="api", request=request)
        return Response(self.get_serializer(resident).data)

    @extend_schema(
        summary="Export every resident the token's user may see, as CSV (audited)",
        description="Needs the export_personal_data capability (administrators and program managers). "
        "Not paginated; limited to API_EXPORT_RATE requests per token.",
        parameters=[],
        responses={(200, "text/csv"): OpenApiTypes.STR, **ERRORS_DETAIL},
        filters=False,
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="export",
        pagination_class=None,
        permission_classes=[HasCapability(Capability.VIEW_RESIDENTS, Capability.EXPORT_PERSONAL_DATA)],
        throttle_classes=[ReadThrottle, ExportThrottle],
    )
    def export(self, request: Request) -> StreamingHttpResponse:
        qs = (
            residents_visible_to(request_user(request))
            .select_related("address")
            .prefetch_related("phones", "emails")
            .order_by("id")
        )
        count = qs.count()
        audit_record(
            actor=request_user(request),
            action="export",
            object_type="people.resident",
            detail=f"api export: {count} residents",
            request=request,
        )
        response = StreamingHttpResponse(_csv_rows(qs), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="residents.csv"'
        return response


def _csv_rows(qs: QuerySet[Resident]) -> Iterator[str]:
    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv_writer(Echo())  # a resident named "=HYPERLINK(...)" stays text in a spreadsheet
    fields = ResidentSerializer.Meta.fields
    yield writer.writerow(fields)
    for resident in qs.iterator(chunk_size=500):
        row = ResidentSerializer(resident).data
        cells = (row[f] for f in fields)
        yield writer.writerow([" ".join(v) if isinstance(v, list) else "" if v is None else v for v in cells])


class ConversationViewSet(
    viewsets.GenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    permission_classes = [HasCapability(Capability.VIEW_CONVERSATIONS)]
    serializer_class = ConversationOutSerializer

    def get_permissions(self) -> Sequence[_SupportsHasPermission]:
        if self.action == "create":
            return [HasCapability(Capability.LOG_CONVERSATIONS)()]
        return super().get_permissions()

    def get_queryset(self) -> QuerySet[Conversation]:
        user = self.request.user
        if not isinstance(user, User):  # no one signed in (drf-spectacular reading the model): nothing
            return Conversation.objects.none()
        return (
            conversations_visible_to(user)
            .select_related("resident", "held_by")
            .prefetch_related("topics", "needs")
            .order_by("-held_at", "-id")
        )

    @extend_schema(responses={200: ConversationOutSerializer(many=True), **ERRORS_LIST})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        audit_record_list(
            actor=request_user(request),
            object_type="outreach.conversation",
            ids=[row["id"] for row in response.data["results"]],
            kind="api list",
            request=request,
        )
        return response

    @extend_schema(responses={200: ConversationOutSerializer, **ERRORS_DETAIL})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        conversation = self.get_object()
        if conversation.resident_id and request_user(request).can(Capability.VIEW_RESIDENTS):
            audit_record(
                actor=request_user(request),
                action="view",
                obj=conversation.resident,
                detail=f"api, via conversation {conversation.pk}",
                request=request,
            )
        else:
            audit_record(
                actor=request_user(request), action="view", obj=conversation, detail="api", request=request
            )
        return Response(self.get_serializer(conversation).data)

    @extend_schema(
        request=ConversationInSerializer,
        responses={201: ConversationOutSerializer, 200: ConversationOutSerializer, **ERRORS_WRITE},
    )
    def create(self, request: Request) -> Response:
        """Log a conversation. Retrying with the same client_id returns the first record with 200."""
        incoming = ConversationInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        resident = None
        if data["resident"]:
            resident = residents_visible_to(request_user(request)).filter(pk=data["resident"]).first()
            if resident is None:
                raise ValidationError({"resident": "No such resident."})
        area = (
            Area.objects.filter(pk=data["area"], kind=Area.Kind.NEIGHBORHOOD).first()
            if data["area"]
            else None
        )
        if data["area"] and area is None:
            raise ValidationError({"area": "No such neighborhood."})
        new = data["new_resident"]
        try:
            result = conversation_capture(
                actor=request_user(request),
                client_id=data["client_id"],
                new_resident=None
                if not new
                else {
                    "first_name": new["first_name"],
                    "last_name": new["last_name"],
                    "phones": [new["phone"]],
                    "emails": [new["email"]],
                    "preferred_language": new["preferred_language"],
                    "consent_to_contact": new["consent_to_contact"],
                },
                campaign=data["campaign"],
                channel=data["channel"],
                held_at=data["held_at"],
                resident=resident,
                area=area,
                language=data["language"],
                duration_minutes=data["duration_minutes"],
                topics=data["topics"],
                notes=data["notes"],
                what_matters_most=data["what_matters_most"],
                ideas=data["ideas"],
                wants_follow_up=data["wants_follow_up"],
                needs=[(n["category"], n["details"]) for n in data["needs"]],
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        body = ConversationOutSerializer(result.conversation, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
