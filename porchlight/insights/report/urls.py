"""The "what we heard" report (names in the "insights" namespace)."""

from django.urls import path

from porchlight.insights.report import views

urlpatterns = [
    path("insights/campaigns/<int:campaign_pk>/report/", views.report, name="report"),
    # A plain public address, like the public summary's, that can be printed on a flyer.
    path("what-we-heard/<int:campaign_pk>/", views.report_public, name="report_public"),
]
