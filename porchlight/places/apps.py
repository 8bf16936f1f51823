from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "porchlight.places"
    label = "places"
