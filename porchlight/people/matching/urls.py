"""The review queue's URLs, mounted in the people namespace (people/urls.py)."""

from django.urls import path

from porchlight.people.matching import views

urlpatterns = [
    path("matches/", views.match_list, name="match_list"),
    path("matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("matches/<int:pk>/decide/", views.match_decide, name="match_decide"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
]
