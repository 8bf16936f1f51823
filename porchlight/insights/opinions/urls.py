"""Dialogues and opinion groups (names in the "insights" namespace)."""

from django.urls import path

from porchlight.insights.opinions import views

urlpatterns = [
    path("dialogues/", views.dialogue_list, name="dialogues"),
    path("dialogues/import/", views.dialogue_import, name="dialogue_import"),
    path("dialogues/<int:pk>/", views.dialogue_detail, name="dialogue_detail"),
    path("dialogues/<int:pk>/recompute/", views.dialogue_recompute, name="dialogue_recompute"),
]
