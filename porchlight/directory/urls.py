from django.urls import include, path

from porchlight.directory import views

app_name = "services"
urlpatterns = [
    path("", include("porchlight.directory.screening.urls")),  # the screener, rules and AMI editors
    path("", views.program_list, name="program_list"),
    path("new/", views.program_edit, name="program_new"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_edit, name="organization_new"),
    path("organizations/<int:pk>/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:organization_pk>/locations/new/", views.location_edit, name="location_new"),
    path(
        "organizations/<int:organization_pk>/locations/<int:pk>/", views.location_edit, name="location_edit"
    ),
    path("import/", views.hsds_import_view, name="hsds_import"),
    path("export/", views.hsds_export_view, name="hsds_export"),
]
