from django.urls import path

from porchlight.outreach import views_progress

urlpatterns = [
    path("progress/", views_progress.progress, name="progress"),
]
