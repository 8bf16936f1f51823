from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "porchlight.outreach"
    label = "outreach"
