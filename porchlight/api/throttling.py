"""A rate limit on API reads per token, counted in a cache every web process shares.

DRF's throttles keep their counters in a cache. The default (per-process memory) would give each gunicorn
worker its own count, multiplying the limit by the number of workers, so the counters live in the "throttle"
cache: a database table (settings.CACHES) that every process and machine reads. See docs/api.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import caches
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

if TYPE_CHECKING:  # rest_framework.views imports this module (DEFAULT_THROTTLE_CLASSES)
    from rest_framework.views import APIView


class _PerUserThrottle(SimpleRateThrottle):
    cache = caches["throttle"]

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        # Token authentication maps each token to one user; anonymous requests are refused (401) anyway.
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class ReadThrottle(_PerUserThrottle):
    """GET and HEAD requests per token (settings API_READ_RATE); writes are bounded by their own rules."""

    scope = "api_read"

    def get_rate(self) -> str:
        return settings.API_READ_RATE

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method not in ("GET", "HEAD"):
            return True
        return super().allow_request(request, view)


class ExportThrottle(_PerUserThrottle):
    """Bulk exports of personal data per token (settings API_EXPORT_RATE)."""

    scope = "api_export"

    def get_rate(self) -> str:
        return settings.API_EXPORT_RATE
