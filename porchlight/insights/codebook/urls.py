"""Codebook, coding runs, review of coded notes and emergent themes (names in the "insights" namespace)."""

from django.urls import path

from porchlight.insights.codebook import views

urlpatterns = [
    path("campaigns/<int:campaign_pk>/codebook/", views.codebook, name="codebook"),
    path("campaigns/<int:campaign_pk>/codebook/seed/", views.codebook_seed, name="codebook_seed"),
    path("campaigns/<int:campaign_pk>/codebook/new/", views.theme_create, name="theme_create"),
    path("campaigns/<int:campaign_pk>/codebook/<int:theme_pk>/", views.theme_edit, name="theme_edit"),
    path(
        "campaigns/<int:campaign_pk>/codebook/<int:theme_pk>/active/",
        views.theme_set_active,
        name="theme_set_active",
    ),
    path(
        "campaigns/<int:campaign_pk>/codebook/<int:theme_pk>/examples/",
        views.theme_example_add,
        name="theme_example_add",
    ),
    path("campaigns/<int:campaign_pk>/coding/run/", views.coding_run_start, name="coding_run_start"),
    path("campaigns/<int:campaign_pk>/coding/progress/", views.coding_progress_view, name="coding_progress"),
    path("campaigns/<int:campaign_pk>/notes/", views.notes_review, name="notes_review"),
    path("campaigns/<int:campaign_pk>/notes/codes/<int:code_pk>/", views.code_decide, name="code_decide"),
    path("campaigns/<int:campaign_pk>/notes/<int:item_pk>/codes/", views.code_add, name="code_add"),
    path("campaigns/<int:campaign_pk>/emergent/", views.emergent_list, name="emergent"),
    path("campaigns/<int:campaign_pk>/emergent/find/", views.emergent_find, name="emergent_find"),
    path(
        "campaigns/<int:campaign_pk>/emergent/<int:emergent_pk>/promote/",
        views.emergent_promote,
        name="emergent_promote",
    ),
]
