"""Needs moved from cases to outreach without moving a row: the migrations change only Django's picture."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("cases", "0004_referral_sent_at"), ("outreach", "0002_field_outreach")]
AFTER = [("cases", "0005_need_moves_to_outreach"), ("outreach", "0003_need_moves_from_cases")]


def _migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # The users' table stays as it is today (only outreach and cases move), so the historical models must
    # see it whole: add accounts' newest migration to the targets.
    targets = [*targets, *executor.loader.graph.leaf_nodes("accounts")]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_it_keeps_every_need_and_the_referrals_pointing_at_them() -> None:
    old = _migrate(BEFORE)
    try:
        Program = old.get_model("services", "Program")
        Organization = old.get_model("services", "Organization")
        Resident = old.get_model("people", "Resident")
        OldNeed = old.get_model("cases", "Need")  # noqa: N806
        OldReferral = old.get_model("cases", "Referral")  # noqa: N806
        User = old.get_model("accounts", "User")
        worker = User.objects.create(username="worker")
        resident = Resident.objects.create(first_name="Ana")
        need = OldNeed.objects.create(resident=resident, category="housing", description="Rent went up")
        program = Program.objects.create(
            organization=Organization.objects.create(name="Legal Aid"), name="Eviction help", category="legal"
        )
        referral = OldReferral.objects.create(
            need=need,
            resident=resident,
            program=program,
            owner=worker,
            created_by=worker,
            consent_given=True,
            sent_at=timezone.now(),
        )
    finally:
        new = _migrate(AFTER)
    Need = new.get_model("outreach", "Need")
    Referral = new.get_model("cases", "Referral")
    moved = Need.objects.get(pk=need.pk)
    assert (moved.category, moved.description, moved.resident_id) == ("housing", "Rent went up", resident.pk)
    assert Referral.objects.get(pk=referral.pk).need_id == need.pk
    assert Need._meta.db_table == "cases_need"
    assert moved.created_at > timezone.now() - dt.timedelta(minutes=5)
