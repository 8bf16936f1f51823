"""Configuration comes from the environment; production refuses unsafe values."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _check(**env):
    full = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    full.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_in_production_with_the_demo_secret():
    result = _check(DEBUG="false")
    assert result.returncode != 0
    assert "public demo key" in result.stderr


def test_it_refuses_a_short_secret_in_production():
    result = _check(DEBUG="false", SECRET_KEY="short")
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_it_starts_in_production_with_a_real_secret():
    result = _check(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="porchlight.example.gov")
    assert result.returncode == 0, result.stderr


def test_it_switches_to_postgresql_with_database_url():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://u@db.example:5432/porchlight",
        "DJANGO_SETTINGS_MODULE": "porchlight.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.stdout.strip() == "django.db.backends.postgresql", out.stderr
