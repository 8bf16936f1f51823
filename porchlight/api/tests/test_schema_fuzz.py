"""Schemathesis runs over the whole API (every operation of the served schema, valid and invalid input):
no answer is a server error, and every answer (status, content type, body) is one the schema describes."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from porchlight.testing.factories import CampaignFactory, ConversationFactory, ResidentFactory
from porchlight.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the WSGI app directly, and Django closes old connections at each request's start and
    end (with CONN_MAX_AGE=0, at once): on PostgreSQL that would close the test's own connection, inside its
    transaction. Django's test client disconnects the same handler; so does this, for the test's duration."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(personas, settings):
    settings.API_READ_RATE = "100000/minute"  # the fuzzer is one token sending hundreds of requests
    settings.ALLOWED_HOSTS = ["*"]
    campaign = CampaignFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2030, 12, 31))
    for _ in range(3):
        ConversationFactory(campaign=campaign, resident=ResidentFactory())
    user = personas["administrator"]
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


def test_the_schema_needs_a_signed_in_user(client, seeded) -> None:
    assert client.get("/api/schema/").status_code in (401, 403)
    assert client.get("/api/schema/", headers=seeded).status_code == 200


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_it_answers_every_generated_request_as_the_schema_says(seeded, mode) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, headers=seeded)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=12,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:
            case.call_and_validate(headers=seeded, checks=CHECKS)

        try:
            run()
        except Unsatisfiable:
            assert mode == GenerationMode.NEGATIVE  # nothing to get wrong in a request with no input
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
