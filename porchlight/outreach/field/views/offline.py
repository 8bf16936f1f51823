"""Views of the offline canvassing app. The page is a shell: the turf bundle comes from the API
(/api/v1/turfs/<id>/bundle/) and records go back through /api/v1/sync/; see docs/offline.md."""

from __future__ import annotations

import hashlib
import json

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import capability_required, public_view
from porchlight.accounts.roles import Capability
from porchlight.outreach.field.selectors import turfs_for_worker

# Static files the app needs with no connection (the page itself is cached by the service worker too).
SHELL_ASSETS = [
    "outreach/offline/app.js",
    "outreach/offline/app.css",
    "outreach/offline/icon.svg",
    "vendor/uswds/css/uswds.min.css",
    "vendor/uswds/js/uswds-init.min.js",
    "vendor/uswds/js/uswds.min.js",
    "vendor/htmx/htmx.min.js",
    "vendor/uswds/img/usa-icons/close.svg",
    "web/porchlight.css",
    "web/signout.js",
    "web/nav.js",
]


def _shell_version() -> str:
    """Changes whenever a shell file changes, so that browsers install the new service worker and cache."""
    digest = hashlib.sha256()
    for path in SHELL_ASSETS:
        found = finders.find(path)
        digest.update(path.encode())
        if found:
            with open(found, "rb") as f:
                digest.update(f.read())
    digest.update(_service_worker_template_bytes())
    return digest.hexdigest()[:16]


def _service_worker_template_bytes() -> bytes:
    from django.template.loader import get_template

    template = get_template("outreach/offline/sw.js")
    origin = getattr(template, "origin", None)
    if origin is not None and origin.name:
        with open(origin.name, "rb") as f:
            return f.read()
    return b""


@capability_required(Capability.LOG_CONVERSATIONS)
def offline_app(request: AuthedHttpRequest) -> HttpResponse:
    turfs = list(turfs_for_worker(request.user))
    strings = {
        "waiting": _("%(n)s waiting to sync"),
        "allSynced": _("Everything is synced."),
        "offline": _("Offline: records are kept on this phone."),
        "online": _("Online"),
        "syncing": _("Syncing…"),
        "retryIn": _("Could not reach the server; trying again in %(s)s s."),
        "signIn": _("Sign in again to sync (your records are kept)."),
        "downloaded": _("Downloaded %(when)s"),
        "downloadFailed": _("Could not download the turf. Are you online?"),
        "saved": _("Saved on this phone."),
        "chooseOutcome": _("Choose what happened at the door."),
        "rejected": _("Not accepted by the server"),
        "conflict": _("Conflict"),
        "notVisited": _("Not visited yet"),
        "yours": _("You: %(outcome)s"),
        "waitingTag": _("waiting to sync"),
        "doNotContact": _("Do not contact"),
        "noScript": _("No script in this language."),
        "anonymous": _("Did not give a name"),
        "discard": _("Discard"),
        "retry": _("Send again"),
        "doors": _("%(n)s doors"),
    }
    return render(
        request,
        "outreach/offline/app.html",
        {
            "turfs": turfs,
            "strings": strings,
            "sync_url": reverse("api:sync"),
            "bundle_url": reverse("api:turf_bundle", args=[0]).replace("/0/", "/{id}/"),
        },
    )


@public_view
@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script. Public (it holds no data); served from / so that its scope is the site."""
    shell = [static(p) for p in SHELL_ASSETS] + [reverse("offline:manifest")]
    body = render(
        request,
        "outreach/offline/sw.js",
        {
            "version": _shell_version(),
            "shell_json": json.dumps(shell),
            "app_url_json": json.dumps(reverse("offline:app")),
            "static_prefix_json": json.dumps(static("")),
        },
    ).content
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@public_view
@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: what makes "Canvass offline" installable on a phone's home screen."""
    body = {
        "name": _("Porchlight canvass"),
        "short_name": _("Canvass"),
        "description": _("Knock doors and log conversations with or without a connection."),
        "start_url": reverse("offline:app"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1a4480",
        "icons": [
            {"src": static("outreach/offline/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("outreach/offline/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("outreach/offline/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")
