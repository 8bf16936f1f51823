from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The program directory. The package was named `services` until December 2026; the label stays
    `services` so that its tables, migration history, content types and permissions are unchanged
    (docs/decisions/0005-directory-app.md)."""

    name = "porchlight.directory"
    label = "services"
