from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "porchlight.people"
    label = "people"
