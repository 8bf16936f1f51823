from django.urls import path

from porchlight.places import views

app_name = "places"

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/<str:kind>/upload/", views.import_upload, name="import_upload"),
    path("imports/<str:kind>/template.csv", views.import_template_download, name="import_template"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
]
