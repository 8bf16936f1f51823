"""Field work's pages (names in the "outreach" namespace, under /outreach/): planning — target lists, turf
cutting, the turf map and assignment — and working the lists — walk lists, calls, attempts, scripts, caller
assignment and the 311 inbound mode.

`offline_urlpatterns` are the offline canvassing app's: its page, and the service worker and manifest, served
from the site root (namespace "offline") so that the service worker's scope covers the app (a worker under
/static/ could only control /static/).
"""

from django.urls import path

from porchlight.outreach.field.views import canvass, offline, targets

urlpatterns = [
    # planning (program managers)
    path("targets/", targets.targetlist_list, name="targetlist_list"),
    path("targets/new/", targets.targetlist_new, name="targetlist_new"),
    path("targets/<int:pk>/", targets.targetlist_detail, name="targetlist_detail"),
    path("targets/<int:pk>/cut/", targets.targetlist_cut, name="targetlist_cut"),
    path("targets/<int:pk>/turfs.geojson", targets.targetlist_geojson, name="targetlist_geojson"),
    path("targets/<int:pk>/auto-assign/", targets.turfs_auto_assign_view, name="turfs_auto_assign"),
    path("turfs/<int:pk>/assign/", targets.turf_assign_view, name="turf_assign"),
    # working the lists (workers)
    path("canvass/", canvass.my_queue, name="my_queue"),
    path("canvass/turfs/<int:pk>/", canvass.walk_list, name="walk_list"),
    path("canvass/turfs/<int:pk>/walk-sheet.pdf", canvass.walk_sheet, name="walk_sheet"),
    path("canvass/attempts/", canvass.attempt_new, name="attempt_new"),
    path("canvass/conversation/", canvass.conversation_for_target, name="canvass_conversation"),
    path("calls/", canvass.call_lists, name="call_lists"),
    path("calls/inbound/", canvass.conversation_for_target, {"channel": "phone"}, name="inbound_call"),
    path("calls/<int:pk>/", canvass.call_screen, name="call_screen"),
    path("calls/<int:pk>/assign/", canvass.call_assign, name="call_assign"),
    path("campaigns/<int:pk>/scripts/", canvass.script_edit, name="script_edit"),
]

offline_urlpatterns = [
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("outreach/offline/", offline.offline_app, name="app"),
]
