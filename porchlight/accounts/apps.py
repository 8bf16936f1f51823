from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "porchlight.accounts"
    label = "accounts"
