"""The health check load balancers, containers and systemd watchers poll: is this process serving, and can it
reach its database? No personal data, no authentication."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from porchlight.accounts.permissions import public_view

logger = logging.getLogger(__name__)


@public_view
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 {"status": "ok"} when one cheap query succeeds; 503 {"status": "unavailable"} otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
