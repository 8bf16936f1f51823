from django.urls import path

from porchlight.web import health, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    # Served by HealthCheckMiddleware before host checks; listed here so it can be reversed and audited.
    path("healthz", health.healthz, name="healthz"),
]
