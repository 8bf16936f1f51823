from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "porchlight.services"
    label = "services"
