from django.urls import path

from porchlight.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.referral_list, name="referral_list"),
    path("updates/", views.referral_updates, name="referral_updates"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("needs/<int:need_pk>/refer/", views.referral_new, name="referral_new"),
    path("residents/<int:resident_pk>/refer/", views.referral_new, name="referral_new_for_resident"),
    path("<int:pk>/", views.referral_detail, name="referral_detail"),
    path("<int:pk>/status/", views.referral_status, name="referral_status"),
]
