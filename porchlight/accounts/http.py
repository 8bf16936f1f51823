"""Request types of views behind a capability check, for annotations.

Django and DRF type `request.user` as signed in or anonymous. A view behind `capability_required` only ever
sees a signed-in `User`, so it annotates its request as `AuthedHttpRequest` and the type checker knows
`request.user.can(...)` exists; Django still passes its own HttpRequest. DRF views and the admin, whose
methods cannot narrow a parameter they override, read `request_user(request)`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from rest_framework.request import Request

from porchlight.accounts.models import User


class AuthedHttpRequest(HttpRequest):
    """An HttpRequest whose user has signed in (and that went through django-htmx's middleware)."""

    user: User
    htmx: HtmxDetails


def request_user(request: HttpRequest | Request) -> User:
    """The signed-in user of a request that a guard already let through. Methods that override a framework's
    (DRF views, admin actions) cannot narrow their `request` parameter, so they read the user through this."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
