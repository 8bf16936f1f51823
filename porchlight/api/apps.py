from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "porchlight.api"
    label = "api"
