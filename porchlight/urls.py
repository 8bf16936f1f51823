from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from porchlight.insights.progress import urls as progress_urls
from porchlight.outreach import urls as outreach_urls
from porchlight.outreach.field import urls as field_urls

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("porchlight.api.urls")),
    path("", include((field_urls.offline_urlpatterns, "offline"))),  # /sw.js, /manifest.webmanifest, the app
    path("places/", include("porchlight.places.urls")),
    path("residents/", include("porchlight.people.urls")),
    # The field progress page is insights' but keeps its outreach: name and address.
    path("outreach/", include((outreach_urls.urlpatterns + progress_urls.urlpatterns, "outreach"))),
    path("referrals/", include("porchlight.cases.urls")),
    path("cases/", include("porchlight.cases.urls_cases")),
    path("programs/", include("porchlight.services.urls")),
    path("", include("porchlight.insights.urls")),
    path("", include("porchlight.web.urls")),
]
