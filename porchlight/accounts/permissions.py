"""View guards. Every staff view is wrapped in `capability_required`; anonymous users go to the login page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBase
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.roles import Capability

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


def capability_required(*capabilities: Capability | str) -> Callable:
    """Allow the view only to signed-in users holding every one of `capabilities` (else 403)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not all(request.user.can(c) for c in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capabilities = tuple(capabilities)  # type: ignore[attr-defined]
        wrapped.capability_mode = "all"  # type: ignore[attr-defined]
        return wrapped

    return decorator


def any_capability_required(*capabilities: Capability | str) -> Callable:
    """Allow the view to signed-in users holding at least one of `capabilities` (else 403)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(request.user.can(c) for c in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capabilities = tuple(capabilities)  # type: ignore[attr-defined]
        wrapped.capability_mode = "any"  # type: ignore[attr-defined]
        return wrapped

    return decorator


def public_view(view: _View) -> _View:
    """Declare a view open to everyone, signed in or not (public pages, health check, the app's manifest).

    It changes nothing at run time; the permission matrix reads the mark, so a view with neither this nor a
    capability fails the test instead of shipping without a decision."""
    view.required_capabilities = ()  # type: ignore[attr-defined]
    view.is_public = True  # type: ignore[attr-defined]
    return view


def HasCapability(*capabilities: Capability | str) -> type[BasePermission]:  # noqa: N802 - reads like a class
    """The same rule for DRF views: `permission_classes = [HasCapability(Capability.X)]`."""

    class _HasCapability(BasePermission):
        def has_permission(self, request: Request, view: APIView) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and all(user.can(c) for c in capabilities))

    _HasCapability.__name__ = "HasCapability_" + "_".join(str(c) for c in capabilities)
    _HasCapability.required_capabilities = tuple(capabilities)  # type: ignore[attr-defined]
    return _HasCapability


def second_factor_exempt(view: _View) -> _View:
    """Let a signed-in user who has not entered their second factor yet open this view (see middleware)."""
    view.second_factor_exempt = True  # type: ignore[attr-defined]
    return view
