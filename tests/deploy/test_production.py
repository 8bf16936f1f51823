"""The production path, end to end: the same steps as the Dockerfile and the systemd units (docs/deploy.md).

Settings built in a subprocess with DEBUG off, a real secret and ALLOWED_HOSTS; `check --deploy` clean;
`collectstatic` with the manifest storage; gunicorn (gunicorn.conf.py) on a free loopback port; then real
HTTP requests. (The container image itself cannot be built here: no image registry can be reached.)
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = "porchlight.example.gov"


def _production_env(tmp: Path, port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECURE_", "CSP_", "LOG_")) and k not in {"DEBUG", "SECRET_KEY"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        DATABASE_URL=f"sqlite:///{tmp / 'porchlight.sqlite3'}",
        STATIC_ROOT=str(tmp / "static"),
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        PORCHLIGHT_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Server:
    base: str
    static_root: Path
    log: Path

    def get(self, path: str, *, https: bool = True, host: str = HOST) -> Reply:
        headers = {"Host": host}
        if https:
            headers["X-Forwarded-Proto"] = "https"  # as the TLS-ending proxy sets it
        request = urllib.request.Request(self.base + path, headers=headers)  # noqa: S310 - http://127.0.0.1
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=60) as r:
                return Reply(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
        except urllib.error.HTTPError as e:
            return Reply(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("production")
    port = _free_port()
    env = _production_env(tmp, port)

    check = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout, check.stdout + check.stderr
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        done = _manage(env, *step)
        assert done.returncode == 0, f"{step}: {done.stdout[-3000:]}{done.stderr[-3000:]}"

    log = tmp / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "porchlight.wsgi"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    srv = Server(f"http://127.0.0.1:{port}", tmp / "static", log)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if srv.get("/healthz", https=False, host="127.0.0.1").status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "gunicorn did not answer within 120 s:\n" + log.read_text()
            time.sleep(0.5)
        yield srv
    finally:
        process.terminate()
        process.wait(timeout=30)


def _assert_security_headers(reply: Reply) -> None:
    h = reply.headers
    assert h["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "same-origin"
    assert h["x-frame-options"] == "DENY"
    assert "script-src 'self' 'nonce-" in h["content-security-policy"]
    assert "'unsafe-inline'" not in h["content-security-policy"]
    assert "'unsafe-eval'" not in h["content-security-policy"]
    assert "geolocation=(self)" in h["permissions-policy"]
    assert "camera=()" in h["permissions-policy"]


def test_it_serves_the_login_page_with_its_security_headers(server: Server) -> None:
    reply = server.get("/accounts/login/")
    assert reply.status == 200
    _assert_security_headers(reply)
    page = reply.body.decode()
    assert "<script>" not in page and 'style="' not in page
    assert "Secure" in reply.headers["set-cookie"] and "csrftoken" in reply.headers["set-cookie"]


def test_it_sends_plain_http_to_https(server: Server) -> None:
    reply = server.get("/accounts/login/", https=False)
    assert reply.status == 301
    assert reply.headers["location"] == f"https://{HOST}/accounts/login/"


def test_it_serves_collected_static_files_under_hashed_names(server: Server) -> None:
    manifest = json.loads((server.static_root / "staticfiles.json").read_text())["paths"]
    css = manifest["vendor/uswds/css/uswds.min.css"]
    assert css != "vendor/uswds/css/uswds.min.css"  # hashed, so it may be cached for ever
    page = server.get("/accounts/login/").body.decode()
    assert f"/static/{css}" in page
    reply = server.get(f"/static/{css}")
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/css")
    assert "immutable" in reply.headers["cache-control"]
    # Every file the stylesheet points at was collected too (the manifest rewrote the references).
    for ref in ("vendor/uswds/img/usa-icons/close.svg", "vendor/uswds/img/hero.jpg"):
        assert server.get("/static/" + manifest[ref]).status == 200


def test_it_answers_the_health_check_over_plain_http_at_any_host(server: Server) -> None:
    reply = server.get("/healthz", https=False, host="10.0.0.7:8000")
    assert reply.status == 200
    assert json.loads(reply.body) == {"status": "ok"}
    assert reply.headers["content-type"] == "application/json"


def test_it_answers_404_with_the_site_page_and_headers(server: Server) -> None:
    reply = server.get("/no-such-page/")
    assert reply.status == 404
    _assert_security_headers(reply)
    assert b"Traceback" not in reply.body


def test_it_refuses_an_unknown_host(server: Server) -> None:
    assert server.get("/accounts/login/", host="evil.example").status == 400


def test_it_logs_json_lines_with_the_request_id(server: Server) -> None:
    reply = server.get("/accounts/login/")
    request_id = reply.headers["x-request-id"]
    time.sleep(0.5)
    lines = [json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")]
    access = [e for e in lines if e["logger"] == "gunicorn.access" and e.get("request_id") == request_id]
    assert access and access[0]["status"] == "200" and access[0]["path"] == "/accounts/login/"
