"""Planning pages for program managers: target lists, turf cutting, the turf map and assignment."""

from django.urls import path

from porchlight.outreach import views_targets as v

urlpatterns = [
    path("targets/", v.targetlist_list, name="targetlist_list"),
    path("targets/new/", v.targetlist_new, name="targetlist_new"),
    path("targets/<int:pk>/", v.targetlist_detail, name="targetlist_detail"),
    path("targets/<int:pk>/cut/", v.targetlist_cut, name="targetlist_cut"),
    path("targets/<int:pk>/turfs.geojson", v.targetlist_geojson, name="targetlist_geojson"),
    path("targets/<int:pk>/auto-assign/", v.turfs_auto_assign_view, name="turfs_auto_assign"),
    path("turfs/<int:pk>/assign/", v.turf_assign_view, name="turf_assign"),
]
