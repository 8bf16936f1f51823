from django.urls import include, path
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
    path("v1/turfs/<int:pk>/bundle/", sync.TurfBundleView.as_view(), name="turf_bundle"),
]
