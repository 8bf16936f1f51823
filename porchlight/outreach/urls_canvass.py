"""Walk lists, call screens, attempts, scripts, caller assignment and the 311 inbound mode."""

from django.urls import path

from porchlight.outreach import views_canvass as v

urlpatterns = [
    path("canvass/", v.my_queue, name="my_queue"),
    path("canvass/turfs/<int:pk>/", v.walk_list, name="walk_list"),
    path("canvass/turfs/<int:pk>/walk-sheet.pdf", v.walk_sheet, name="walk_sheet"),
    path("canvass/attempts/", v.attempt_new, name="attempt_new"),
    path("canvass/conversation/", v.conversation_for_target, name="canvass_conversation"),
    path("calls/", v.call_lists, name="call_lists"),
    path("calls/inbound/", v.conversation_for_target, {"channel": "phone"}, name="inbound_call"),
    path("calls/<int:pk>/", v.call_screen, name="call_screen"),
    path("calls/<int:pk>/assign/", v.call_assign, name="call_assign"),
    path("campaigns/<int:pk>/scripts/", v.script_edit, name="script_edit"),
]
