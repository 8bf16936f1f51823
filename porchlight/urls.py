from django.contrib import admin
from django.urls import include, path

from porchlight.insights.progress import urls as progress_urls
from porchlight.outreach import urls as outreach_urls
from porchlight.outreach.field import urls as field_urls

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("porchlight.accounts.urls")),  # sign-in, password reset, second factor
    path("admin/", admin.site.urls),
    path("api/", include("porchlight.api.urls")),
    path("", include((field_urls.offline_urlpatterns, "offline"))),  # /sw.js, /manifest.webmanifest, the app
    path("places/", include("porchlight.places.urls")),
    path("residents/", include("porchlight.people.urls")),
    # The field progress page is insights' but keeps its outreach: name and address.
    path("outreach/", include((outreach_urls.urlpatterns + progress_urls.urlpatterns, "outreach"))),
    path("referrals/", include("porchlight.cases.urls")),
    path("cases/", include("porchlight.cases.casework.urls")),
    path("programs/", include("porchlight.directory.urls")),
    path("", include("porchlight.insights.urls")),
    path("", include("porchlight.web.urls")),
]
