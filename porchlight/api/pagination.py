"""Every API list comes in bounded pages: a token can read at most MAX_LIMIT records per request.

Bulk copies of personal data go through the separate, permissioned and audited export instead.
"""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.views import APIView

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


def _whole_number(request: Request, name: str, *, default: int, low: int, high: int | None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    bounds = f"from {low} to {high}" if high is not None else f"of {low} or more"
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [f"Must be a whole number {bounds}."]}) from None
    if value < low or (high is not None and value > high):
        raise ValidationError({name: [f"Must be a whole number {bounds}; got {value}."]})
    return value


class BoundedPagination(LimitOffsetPagination):
    """limit/offset paging that refuses (400) a negative, non-numeric or too large limit or offset."""

    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT

    def get_limit(self, request: Request) -> int:
        limit = self.limit_query_param
        return _whole_number(request, limit, default=self.default_limit, low=1, high=MAX_LIMIT)

    def get_offset(self, request: Request) -> int:
        return _whole_number(request, self.offset_query_param, default=0, low=0, high=None)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict]:
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.limit_query_param:
                param["schema"].update(minimum=1, maximum=MAX_LIMIT, default=DEFAULT_LIMIT)
                param["description"] = f"Results per page (1 to {MAX_LIMIT}; default {DEFAULT_LIMIT})."
            elif param["name"] == self.offset_query_param:
                param["schema"].update(minimum=0, default=0)
        return params
