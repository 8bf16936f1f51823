from django.urls import include, path

from porchlight.services import views

app_name = "services"
urlpatterns = [
    path("", include("porchlight.services.urls_screening")),  # the screener, rules and AMI editors
    path("", views.program_list, name="program_list"),
    path("new/", views.program_edit, name="program_new"),
    path("<int:pk>/edit/", views.program_edit, name="program_edit"),
]
