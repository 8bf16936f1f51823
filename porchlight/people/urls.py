from django.urls import path

from porchlight.people import views, views_privacy
from porchlight.people.matching import urls as matching_urls

app_name = "people"
urlpatterns = [
    path("", views.resident_list, name="resident_list"),
    path("new/", views.resident_new, name="resident_new"),
    path("<int:pk>/", views.resident_detail, name="resident_detail"),
    path("<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("<int:pk>/privacy/export/", views_privacy.resident_export_view, name="resident_export"),
    path("<int:pk>/privacy/erase/", views_privacy.resident_erase_view, name="resident_erase"),
    *matching_urls.urlpatterns,
]
