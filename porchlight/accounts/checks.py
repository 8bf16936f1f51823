"""Deployment checks for accounts (`manage.py check --deploy`)."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def second_factor_required(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[Error]:
    if getattr(settings, "PORCHLIGHT_REQUIRE_2FA", False):
        return []
    return [
        Error(
            "PORCHLIGHT_REQUIRE_2FA is off: staff who see residents' data sign in with a password alone.",
            hint="Unset PORCHLIGHT_REQUIRE_2FA (it is on by default when DEBUG is off) or set it to true.",
            id="accounts.E001",
        )
    ]
