"""The frame around every request: its id, the health check, the Content-Security-Policy and friends."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from django.test import Client
from django.urls import resolve, reverse

from porchlight.ui.logs import JsonFormatter, request_id_var

ROOT = Path(__file__).resolve().parents[3]


def _nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def test_it_sends_a_fresh_nonce_and_the_browser_policies_with_every_page(client: Client, db) -> None:
    first, second = client.get("/accounts/login/"), client.get("/accounts/login/")
    assert first.status_code == 200
    assert _nonce(first) != _nonce(second)
    policy = first["Content-Security-Policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'"):
        assert directive in policy
    assert "unsafe" not in policy
    assert first["Permissions-Policy"].startswith("geolocation=(self), camera=()")
    assert first["Referrer-Policy"] == "same-origin"


def test_it_puts_the_nonce_on_the_inline_styles_a_page_keeps(client: Client, personas) -> None:
    client.force_login(personas["case_manager"])
    response = client.get(reverse("casework:task_queue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<style nonce="{_nonce(response)}">' in page
    assert "<style>" not in page and "<script>" not in page


def test_it_can_report_only(client: Client, db, settings) -> None:
    settings.CSP_REPORT_ONLY = True
    response = client.get("/accounts/login/")
    assert "Content-Security-Policy" not in response
    assert "script-src" in response["Content-Security-Policy-Report-Only"]


def test_it_tags_each_request_with_an_id_and_keeps_a_sane_one_from_the_proxy(client: Client, db) -> None:
    assert re.fullmatch(r"[0-9a-f]{32}", client.get("/accounts/login/")["X-Request-ID"])
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-1234.abc")["X-Request-ID"] == "lb-1234.abc"
    forged = client.get("/accounts/login/", HTTP_X_REQUEST_ID="x\nInjected: yes")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


def test_it_answers_the_health_check_without_sign_in(client: Client, db) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert reverse("web:healthz") == "/healthz"


def test_it_declares_the_health_check_public() -> None:
    view = resolve("/healthz").func
    assert view.is_public is True
    assert view.required_capabilities == ()


def test_it_answers_503_when_the_database_is_unreachable() -> None:
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "porchlight.settings",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",  # nothing listens on port 1
        "LOG_LEVEL": "CRITICAL",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.strip().splitlines()[-1] == '503 {"status": "unavailable"}', out.stderr


def test_it_writes_one_json_object_per_log_line_with_the_request_id() -> None:
    record = logging.LogRecord(
        "porchlight.cases", logging.WARNING, __file__, 1, "Task %s overdue", (7,), None
    )
    token = request_id_var.set("req-42")
    try:
        line = JsonFormatter().format(record)
    finally:
        request_id_var.reset(token)
    entry = json.loads(line)
    assert entry["message"] == "Task 7 overdue"
    assert entry["level"] == "WARNING" and entry["logger"] == "porchlight.cases"
    assert entry["request_id"] == "req-42"
    assert "\n" not in line


def test_it_gives_gunicorn_access_lines_their_own_fields() -> None:
    atoms = {"h": "10.0.0.1", "m": "GET", "U": "/healthz", "s": "200", "M": 3, "{x-request-id}o": "abc"}
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s %(s)s", atoms, None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "10.0.0.1 200"
    fields = (entry["status"], entry["path"], entry["duration_ms"], entry["request_id"])
    assert fields == ("200", "/healthz", 3, "abc")


def test_it_serves_the_health_check_even_for_an_unknown_host(client: Client, db) -> None:
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
