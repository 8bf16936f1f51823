"""The admin site, guarded by the role table instead of Django's separate `is_staff` flag."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class PorchlightAdminSite(admin.AdminSite):
    site_header = "Porchlight administration"

    def has_permission(self, request: HttpRequest) -> bool:
        # One source of truth for who is an administrator: a program manager who was once given
        # `is_staff` by hand must not get into the admin, and an administrator needs no extra flag.
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.is_administrator)


class PorchlightAdminConfig(AdminConfig):
    """Django's admin app with the site above (named in INSTALLED_APPS instead of django.contrib.admin)."""

    default_site = "porchlight.accounts.admin_site.PorchlightAdminSite"
