"""View guards. Every staff view is wrapped in `capability_required`; anonymous users go to the login page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

from porchlight.accounts.roles import Capability


def capability_required(*capabilities: Capability | str) -> Callable:
    """Allow the view only to signed-in users holding every one of `capabilities` (else 403)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:  # noqa: ANN002, ANN003
            if not all(request.user.can(c) for c in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capabilities = tuple(capabilities)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def any_capability_required(*capabilities: Capability | str) -> Callable:
    """Allow the view to signed-in users holding at least one of `capabilities` (else 403)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:  # noqa: ANN002, ANN003
            if not any(request.user.can(c) for c in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capabilities = tuple(capabilities)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def public_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view as open to anyone, signed in or not, on purpose (the permission matrix reads the marks)."""
    view.required_capabilities = ()  # type: ignore[attr-defined]
    view.is_public = True  # type: ignore[attr-defined]
    return view


def HasCapability(*capabilities: Capability | str) -> type[BasePermission]:  # noqa: N802 - reads like a class
    """The same rule for DRF views: `permission_classes = [HasCapability(Capability.X)]`."""

    class _HasCapability(BasePermission):
        def has_permission(self, request, view) -> bool:  # noqa: ANN001
            user = request.user
            return bool(user and user.is_authenticated and all(user.can(c) for c in capabilities))

    _HasCapability.__name__ = "HasCapability_" + "_".join(str(c) for c in capabilities)
    return _HasCapability
