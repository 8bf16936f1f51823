"""The error answers every API operation may give, declared once for the OpenAPI schema."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

_Detail = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})

BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid input: errors by field ({\"limit\": [\"...\"]}) or a {\"detail\": \"...\"} message "
    "(malformed, oversized or too deeply nested JSON).",
)
UNAUTHORIZED = OpenApiResponse(_Detail, description="No credentials, or an invalid token.")
FORBIDDEN = OpenApiResponse(_Detail, description="The user's role lacks the capability.")
NOT_FOUND = OpenApiResponse(_Detail, description="No such record, or not one the user may see.")
THROTTLED = OpenApiResponse(
    _Detail,
    description="Too many requests for this token; the Retry-After header says how many seconds to wait.",
)

ERRORS_LIST = {400: BAD_REQUEST, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND, 429: THROTTLED}
ERRORS_DETAIL = {400: BAD_REQUEST, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND, 429: THROTTLED}
ERRORS_WRITE = {400: BAD_REQUEST, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND, 429: THROTTLED}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus a clear JSON 400 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django refuses to
    read it before any parser runs)."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            {"detail": f"The request body is too large: the limit is {limit} bytes."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
