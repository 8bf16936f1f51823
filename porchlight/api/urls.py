from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from porchlight.api import sync, views

app_name = "api"

router = DefaultRouter()
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("residents", views.ResidentViewSet, basename="resident")
router.register("conversations", views.ConversationViewSet, basename="conversation")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/", include(router.urls)),
    path("v1/sync/", sync.SyncView.as_view(), name="sync"),
    # Any text as the id (like the router's routes), so that "/turfs/-1/bundle/" is the API's JSON 404.
    re_path(r"^v1/turfs/(?P<pk>[^/.]+)/bundle/$", sync.TurfBundleView.as_view(), name="turf_bundle"),
    # Last: any other path under /api/ is a JSON 404 (as the schema says), not the site's HTML page.
    re_path(r"^", views.not_found, name="not_found"),
]
