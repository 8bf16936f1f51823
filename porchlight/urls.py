from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("porchlight.accounts.urls")),  # sign-in, password reset, second factor
    path("admin/", admin.site.urls),
    path("api/", include("porchlight.api.urls")),
    path("", include("porchlight.outreach.urls_offline")),  # /sw.js, /manifest.webmanifest, the app
    path("places/", include("porchlight.places.urls")),
    path("residents/", include("porchlight.people.urls")),
    path("outreach/", include("porchlight.outreach.urls")),
    path("referrals/", include("porchlight.cases.urls")),
    path("cases/", include("porchlight.cases.casework.urls")),
    path("programs/", include("porchlight.directory.urls")),
    path("", include("porchlight.insights.urls")),
    path("", include("porchlight.web.urls")),
]
