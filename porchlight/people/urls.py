from django.urls import path

from porchlight.people import views

app_name = "people"
urlpatterns = [
    path("", views.resident_list, name="resident_list"),
    path("new/", views.resident_new, name="resident_new"),
    path("<int:pk>/", views.resident_detail, name="resident_detail"),
    path("<int:pk>/edit/", views.resident_edit, name="resident_edit"),
]
