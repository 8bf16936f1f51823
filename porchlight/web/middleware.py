"""Middleware that frames every request: its id for the logs, the health check, and the security headers that
Django 5.2 does not set itself (Content-Security-Policy, Permissions-Policy)."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from porchlight.ui.logs import request_id_var
from porchlight.web.health import healthz

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Tag the request with an id (the proxy's X-Request-ID when it sent a sane one) that every log line
    written while serving it carries, and return it in the response so a user's report can be found."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class HealthCheckMiddleware:
    """Answer /healthz before host validation and the HTTPS redirect: a container or load balancer polls it by
    IP address over plain HTTP, and the answer holds nothing that depends on the host."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz" and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)


def content_security_policy(nonce: str) -> str:
    """The policy every page satisfies: no inline script or style without the nonce, no eval, no framing."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "manifest-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    """Content-Security-Policy with a fresh nonce per request (templates use `{{ request.csp_nonce }}` on the
    few <style> blocks left inline) and Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        # Django's own debug pages (DEBUG only) carry inline styles and scripts: leave them readable.
        if settings.DEBUG and response.status_code >= 400:
            return response
        header = "Content-Security-Policy"
        if settings.CSP_REPORT_ONLY:
            header += "-Report-Only"
        response.headers.setdefault(header, content_security_policy(nonce))
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
