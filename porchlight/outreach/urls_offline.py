"""The offline canvassing app: its page, and the service worker and manifest, served from the site root so
that the service worker's scope covers the app (a worker under /static/ could only control /static/)."""

from django.urls import path

from porchlight.outreach import views_offline

app_name = "offline"
urlpatterns = [
    path("sw.js", views_offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", views_offline.manifest, name="manifest"),
    path("outreach/offline/", views_offline.offline_app, name="app"),
]
