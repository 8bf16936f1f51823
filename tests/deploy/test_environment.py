"""Settings read from the environment refuse values that would silently mean something else."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from porchlight.environment import env_bool, env_int
from porchlight.settings import DEMO_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw", ["true", "TRUE", "1", "yes", "On", " true "])
def test_it_reads_true(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("PL_FLAG", raw)
    assert env_bool("PL_FLAG", default=False) is True


@pytest.mark.parametrize("raw", ["false", "False", "0", "no", "OFF"])
def test_it_reads_false(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("PL_FLAG", raw)
    assert env_bool("PL_FLAG", default=True) is False


@pytest.mark.parametrize("raw", ["Ture", "flase", "2", "y", "enabled"])
def test_it_refuses_a_boolean_it_cannot_read_and_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("PL_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="PL_FLAG"):
        env_bool("PL_FLAG", default=True)


def test_it_uses_the_default_when_unset_or_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PL_FLAG", raising=False)
    assert env_bool("PL_FLAG", default=True) is True
    monkeypatch.setenv("PL_FLAG", "")
    assert env_int("PL_FLAG", default=7) == 7


def test_it_reads_whole_numbers_and_refuses_others(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PL_NUMBER", " 42 ")
    assert env_int("PL_NUMBER", default=1) == 42
    for raw in ("5O", "4.5", "ten"):
        monkeypatch.setenv("PL_NUMBER", raw)
        with pytest.raises(ImproperlyConfigured, match="PL_NUMBER"):
            env_int("PL_NUMBER", default=1)
    monkeypatch.setenv("PL_NUMBER", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("PL_NUMBER", default=1, minimum=0)


def _start(**env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    full.update(env, DJANGO_SETTINGS_MODULE="porchlight.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "secret",
    [
        DEMO_SECRET_KEY + " ",  # a trailing space used to slip past the check
        " " + DEMO_SECRET_KEY,
        DEMO_SECRET_KEY + "-but-longer-so-it-passes-the-length-test",
    ],
)
def test_it_refuses_the_demo_secret_in_any_disguise(secret: str) -> None:
    result = _start(DEBUG="false", SECRET_KEY=secret, ALLOWED_HOSTS="porchlight.example.gov")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "public demo key" in result.stderr


def test_it_refuses_a_secret_under_50_characters() -> None:
    result = _start(DEBUG="false", SECRET_KEY="k" * 49, ALLOWED_HOSTS="porchlight.example.gov")
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_it_refuses_a_misspelt_debug_flag() -> None:
    result = _start(DEBUG="Ture")
    assert result.returncode != 0
    assert "DEBUG='Ture' is not a boolean" in result.stderr


def test_it_refuses_a_misspelt_security_flag() -> None:
    result = _start(DEBUG="false", SECRET_KEY="k" * 60, SECURE_SSL_REDIRECT="yess")
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr
