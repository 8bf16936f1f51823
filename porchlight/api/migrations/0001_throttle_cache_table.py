"""Create the database cache table(s) named in settings.CACHES (the API's shared throttle counters).

`createcachetable` in a migration, so that `migrate` (./dev, deployments, the test database) sets it up with
no extra step. It skips tables that exist and does nothing when no cache uses the database backend.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor) -> None:  # noqa: ANN001
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list = []

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
