from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "porchlight.cases"
    label = "cases"
