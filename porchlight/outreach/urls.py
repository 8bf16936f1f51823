from django.urls import include, path

from porchlight.outreach import views

app_name = "outreach"
urlpatterns = [
    path("conversations/", views.conversation_list, name="conversation_list"),
    path("conversations/new/", views.conversation_new, name="conversation_new"),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation_detail"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_edit, name="campaign_new"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    # Field outreach, one module each: target lists and turfs; walk lists, calls and attempts; progress.
    path("", include("porchlight.outreach.urls_targets")),
    path("", include("porchlight.outreach.urls_canvass")),
    path("", include("porchlight.outreach.urls_progress")),
]
