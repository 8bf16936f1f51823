"""The deployment files say what the tested steps do: an image that cannot be built here (no image registry)
is at least checked to run the commands tests/deploy/test_production.py proves, as a user not root."""

from __future__ import annotations

import configparser
from pathlib import Path

import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


def test_it_builds_the_image_from_python_slim_as_a_non_root_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.count("FROM python:3.11-slim") == 2
    for step in ("npm ci", "scripts/assets.sh", "pip install", "collectstatic --noinput", "libpango-1.0-0"):
        assert step in dockerfile, step
    assert "USER porchlight" in dockerfile
    assert "/healthz" in dockerfile
    assert dockerfile.rstrip().endswith('CMD ["gunicorn", "porchlight.wsgi"]')


def test_it_composes_database_web_worker_and_the_daily_followups() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "migrate", "web", "worker", "scheduler"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["web"]["command"] == ["gunicorn", "porchlight.wsgi"]
    worker = services["worker"]["command"][-1]
    assert worker.startswith("python manage.py import_jobs --resume && exec python manage.py db_worker")
    assert "manage.py followups" in services["scheduler"]["command"][-1]
    for name in ("web", "worker", "scheduler"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["environment"]["TASKS_BACKEND"] == "database"
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]  # only the TLS proxy on this host reaches it


def test_it_keeps_secrets_out_of_the_example_environment() -> None:
    lines = [
        line.split("=", 1)
        for line in (ROOT / "deploy" / "env.example").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    values = dict(lines)
    assert values["DEBUG"] == "false"
    assert values["SECRET_KEY"] == "CHANGE_ME"
    assert "CHANGE_ME" in values["DATABASE_URL"] and values["POSTGRES_PASSWORD"] == "CHANGE_ME"


def test_it_gives_systemd_a_unit_for_web_worker_and_a_daily_timer() -> None:
    units = {}
    for path in (ROOT / "deploy" / "systemd").iterdir():
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.optionxform = str  # systemd keys are case-sensitive
        parser.read(path)
        units[path.name] = parser
    assert set(units) == {
        "porchlight-web.service",
        "porchlight-worker.service",
        "porchlight-followups.service",
        "porchlight-followups.timer",
    }
    commands = get_commands()
    for name in ("porchlight-worker.service", "porchlight-followups.service"):
        command = units[name]["Service"]["ExecStart"].split("manage.py ")[1].split()[0]
        assert command in commands, command
    resume = units["porchlight-worker.service"]["Service"]["ExecStartPre"]
    assert resume.endswith("manage.py import_jobs --resume")
    assert "import_jobs" in commands
    assert units["porchlight-web.service"]["Service"]["ExecStart"].endswith("gunicorn porchlight.wsgi")
    for name in ("porchlight-web.service", "porchlight-worker.service", "porchlight-followups.service"):
        assert units[name]["Service"]["User"] == "porchlight"
    assert units["porchlight-followups.timer"]["Timer"]["OnCalendar"] == "*-*-* 06:00:00"
