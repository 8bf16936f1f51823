from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "porchlight.accounts"
    label = "accounts"

    def ready(self) -> None:
        from porchlight.accounts import checks, middleware  # noqa: F401 - registers the checks and signal
