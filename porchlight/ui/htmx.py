"""One URL, two renderings: the full page for a browser, only the changing fragment for htmx."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def is_htmx(request: HttpRequest) -> bool:
    """True for a request htmx sent (django-htmx's middleware sets `request.htmx`)."""
    return bool(getattr(request, "htmx", False))


def render_page_or_fragment(
    request: HttpRequest, page_template: str, fragment_template: str, context: dict[str, Any]
) -> HttpResponse:
    """Render the fragment for htmx and the whole page otherwise, so every screen stays bookmarkable.

    The response varies on HX-Request: a cache must never hand the fragment to a browser asking for the page.
    """
    template = fragment_template if is_htmx(request) else page_template
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
