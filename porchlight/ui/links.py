"""Links that leave the site, in email: built from the address people reach Porchlight at."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` on the site's public address (settings.PORCHLIGHT_BASE_URL)."""
    return settings.PORCHLIGHT_BASE_URL.rstrip("/") + path
