"""The field progress page. porchlight/urls.py mounts these under /outreach/ in the "outreach" namespace, so
that the page keeps its address and its name (outreach:progress) while outreach never imports insights."""

from django.urls import path

from porchlight.insights.progress import views

urlpatterns = [
    path("progress/", views.progress, name="progress"),
]
