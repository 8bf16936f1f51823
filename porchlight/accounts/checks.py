"""Deployment checks for accounts (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def second_factor_required(app_configs, **kwargs) -> list[Error]:  # noqa: ANN001, ANN003
    if getattr(settings, "PORCHLIGHT_REQUIRE_2FA", False):
        return []
    return [
        Error(
            "PORCHLIGHT_REQUIRE_2FA is off: staff who see residents' data sign in with a password alone.",
            hint="Unset PORCHLIGHT_REQUIRE_2FA (it is on by default when DEBUG is off) or set it to true.",
            id="accounts.E001",
        )
    ]
