from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "porchlight.web"
    label = "web"
