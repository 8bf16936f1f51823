from django.urls import path

from porchlight.cases.casework import views

app_name = "casework"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_new, name="case_new"),
    path("tasks/", views.task_queue_view, name="task_queue"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("tasks/<int:pk>/reopen/", views.task_reopen, name="task_reopen"),
    path("documents/<int:pk>/received/", views.case_document_received, name="document_received"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/status/", views.case_status, name="case_status"),
    path("<int:pk>/reassign/", views.case_reassign, name="case_reassign"),
    path("<int:pk>/notes/", views.case_note_add, name="note_add"),
    path("<int:pk>/documents/", views.case_document_add, name="document_add"),
    path("<int:pk>/tasks/", views.task_add, name="task_add"),
    path("<int:pk>/referrals/", views.case_referral_link, name="referral_link"),
]
