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
    # Field outreach: target lists and turfs; walk lists, calls and attempts. (Progress is insights': see
    # porchlight/urls.py.)
    path("", include("porchlight.outreach.field.urls")),
]
