from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """What the base template needs on every page: the city's name and the user's capabilities."""
    user = getattr(request, "user", None)
    caps = user.capabilities if user is not None and user.is_authenticated else frozenset()
    return {"city": settings.PORCHLIGHT_CITY, "caps": caps}
