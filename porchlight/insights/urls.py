from django.urls import include, path

from porchlight.insights import views

app_name = "insights"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/areas.csv", views.dashboard_areas_csv, name="dashboard_areas_csv"),
    path("dashboard/areas.geojson", views.area_shapes_geojson, name="area_shapes"),
    # The public page lives at a plain address residents can be given on a flyer.
    path("what-we-heard/", views.public_summary, name="public_summary"),
    path("insights/", include("porchlight.insights.codebook.urls")),
    path("insights/", include("porchlight.insights.opinions.urls")),
    path("", include("porchlight.insights.report.urls")),
]
