"""The directory app: the label that keeps the old `services` package's data, and its place in the layers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from porchlight.directory.models import Program, Screening

APP_DIR = Path(__file__).resolve().parent.parent
# Apps the directory may import: itself and those below it (docs/decisions/0005-directory-app.md).
ALLOWED = {"accounts", "places", "people", "outreach", "directory", "ui", "testing"}
TOLERATED: set[str] = set()


def test_it_keeps_the_services_label_so_tables_and_history_stay() -> None:
    config = apps.get_app_config("services")
    assert config.name == "porchlight.directory"
    assert Program._meta.db_table == "services_program"
    assert Screening._meta.db_table == "services_screening"


@pytest.mark.django_db
def test_it_keeps_content_types_and_permissions_under_the_old_label() -> None:
    content_type = ContentType.objects.get_for_model(Program)
    assert content_type.app_label == "services"
    assert Permission.objects.filter(content_type=content_type, codename="change_program").exists()


def _imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def test_it_imports_no_app_above_it() -> None:
    upward = []
    for path in sorted(APP_DIR.rglob("*.py")):
        if "tests" in path.relative_to(APP_DIR).parts:
            continue
        for module in _imported_modules(path):
            parts = module.split(".")
            if parts[0] != "porchlight" or len(parts) < 2 or module in TOLERATED:
                continue
            if parts[1] not in ALLOWED:
                upward.append(f"{path.relative_to(APP_DIR)}: {module}")
    assert upward == []
