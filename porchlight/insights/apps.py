from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "porchlight.insights"
    label = "insights"
