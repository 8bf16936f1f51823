"""The second factor: a signed-in user who has a TOTP device must enter a code before any other page; one who
must have a device (PORCHLIGHT_REQUIRE_2FA and a role that sees residents) and has none must enrol first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from porchlight.accounts.models import User

# Cached in the session so that a signed-in user without a device costs no query per request.
HAS_DEVICE = "porchlight_has_otp_device"
# Pages a half-signed-in user may still open (besides views marked `second_factor_exempt`).
EXEMPT_VIEWS = {"logout", "set_language", "javascript-catalog"}


def has_device(request: HttpRequest) -> bool:
    if HAS_DEVICE not in request.session:
        request.session[HAS_DEVICE] = user_has_device(request.user, confirmed=True)
    return request.session[HAS_DEVICE]


@receiver(user_logged_in, dispatch_uid="porchlight_otp_device_at_login")
def _remember_device_at_login(sender: type, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE] = user_has_device(user, confirmed=True)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if getattr(view_func, "second_factor_exempt", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        if has_device(request):
            target = "accounts:two_factor_verify"
        elif settings.PORCHLIGHT_REQUIRE_2FA and user.needs_second_factor:
            target = "accounts:two_factor_setup"
        else:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "Enter your sign-in code first."}, status=403)
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
