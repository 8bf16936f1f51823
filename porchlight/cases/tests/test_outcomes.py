"""The outcomes report on a hand-built set of referrals: every figure, the median, groupings, the date range,
the page (query count pinned), its permissions and the audited CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from porchlight.accounts.models import AuditEvent
from porchlight.cases.outcomes import outcomes_report
from porchlight.testing.factories import AddressFactory, AreaFactory, CampaignFactory, ProgramFactory
from porchlight.testing.factories_referrals import partner_program, referral_in_state


@pytest.fixture
def made(personas, partner_team):
    """Eight referrals made 20 days ago (one 10 days ago, still waiting), by two people of the city team."""
    worker, manager = personas["outreach_worker"], personas["case_manager"]
    tenant = partner_program(partner_team, accept_within_days=3)
    jobs = ProgramFactory(name="Career pathways", category="employment")
    t0 = timezone.now() - dt.timedelta(days=20)
    spring, fall = CampaignFactory(name="Spring"), CampaignFactory(name="Fall")
    r = {}
    r["enrolled"] = referral_in_state(
        program=tenant,
        referrer=worker,
        status="resolved",
        outcome="enrolled",
        created_at=t0,
        accepted_days=1,
        closed_days=2,
        campaign=spring,
    )
    r["completed"] = referral_in_state(
        program=tenant,
        referrer=worker,
        status="resolved",
        outcome="completed",
        created_at=t0,
        accepted_days=1,
        closed_days=10,
        campaign=spring,
    )
    r["served"] = referral_in_state(
        program=tenant,
        referrer=worker,
        status="resolved",
        outcome="service_received",
        created_at=t0,
        accepted_days=1,
        closed_days=4,
        campaign=spring,
    )
    r["declined"] = referral_in_state(
        program=tenant,
        referrer=worker,
        status="declined",
        decline_reason="no_capacity",
        created_at=t0,
        closed_days=1,
        campaign=fall,
    )
    r["late"] = referral_in_state(
        program=tenant, referrer=worker, created_at=timezone.now() - dt.timedelta(days=10), campaign=fall
    )
    r["working"] = referral_in_state(
        program=tenant, referrer=worker, status="in_progress", created_at=t0, accepted_days=2, campaign=fall
    )
    r["graduated"] = referral_in_state(
        program=jobs,
        referrer=manager,
        status="resolved",
        outcome="completed",
        created_at=t0,
        accepted_days=1,
        closed_days=6,
        campaign=fall,
    )
    r["lost"] = referral_in_state(
        program=jobs,
        referrer=manager,
        status="unresolved",
        close_reason="could_not_contact",
        created_at=t0,
        accepted_days=1,
        closed_days=3,
        campaign=fall,
    )
    return {"tenant": tenant, "jobs": jobs, **r}


FIGURES = (
    "made",
    "accepted",
    "declined",
    "resolved",
    "enrolled",
    "completed",
    "completion_rate",
    "median_days",
    "still_open",
    "overdue",
)


def _figures(row):
    return tuple(getattr(row, f) for f in FIGURES)


def test_it_counts_every_figure_per_program_and_in_total(made):
    report = outcomes_report(group_by="program")
    rows = {r.label: _figures(r) for r in report["rows"]}
    assert rows == {
        # made, accepted, declined, resolved, enrolled, completed, rate %, median days, open, overdue
        "Tenant Defense": (6, 4, 1, 3, 2, 1, 50, 4.0, 2, 1),
        "Career pathways": (2, 2, 0, 1, 1, 1, 100, 6.0, 0, 0),
    }
    assert [r.label for r in report["rows"]] == ["Tenant Defense", "Career pathways"]  # most referrals first
    # The total's median is the median of all resolutions (2, 4, 6, 10 days), not a median of medians.
    assert _figures(report["total"]) == (8, 6, 1, 4, 3, 2, 67, 5.0, 2, 1)


def test_it_groups_by_team_and_campaign(made, personas, partner_team):
    personas["case_manager"].team = partner_team  # pretend the manager moved: the team is the referrer's
    personas["case_manager"].save(update_fields=["team"])
    by_team = {r.label: r.made for r in outcomes_report(group_by="team")["rows"]}
    assert by_team == {"311 Customer Service": 6, "Legal Aid of the Carolinas": 2}
    by_campaign = {r.label: (r.made, r.resolved) for r in outcomes_report(group_by="campaign")["rows"]}
    assert by_campaign == {"Spring": (3, 3), "Fall": (5, 1)}


def test_it_groups_by_the_residents_neighborhood_else_the_conversations(made):
    home, met_at = AreaFactory(name="Belmont"), AreaFactory(name="NoDa")
    address = AddressFactory()
    address.areas.add(home)
    for key in ("enrolled", "completed"):
        made[key].resident.address = address
        made[key].resident.save(update_fields=["address"])
    made["late"].resident.address = None
    made["late"].resident.save(update_fields=["address"])
    made["late"].need.conversation.area = met_at
    made["late"].need.conversation.save(update_fields=["area"])
    rows = {r.label: r.made for r in outcomes_report(group_by="neighborhood")["rows"]}
    assert rows == {"Belmont": 2, "NoDa": 1, "Not known": 5}


def test_it_keeps_to_the_date_range(made, personas):
    referral_in_state(
        program=made["jobs"],
        referrer=personas["outreach_worker"],
        created_at=timezone.now() - dt.timedelta(days=400),
    )
    today = timezone.localdate()
    assert outcomes_report(start=today - dt.timedelta(days=30), end=today)["total"].made == 8
    assert outcomes_report()["total"].made == 9
    assert outcomes_report(start=today - dt.timedelta(days=15), end=today)["total"].made == 1  # the late one


def test_it_has_no_rate_or_median_without_enrollments_or_resolutions(personas):
    referral_in_state(program=ProgramFactory(), referrer=personas["outreach_worker"])
    [row] = outcomes_report()["rows"]
    assert (row.completion_rate, row.median_days, row.still_open) == (None, None, 1)


def test_the_page_shows_the_report_in_a_fixed_number_of_queries(
    client, personas, made, django_assert_max_num_queries
):
    client.force_login(personas["analyst"])
    with django_assert_max_num_queries(6):
        response = client.get(reverse("cases:outcomes"), {"group_by": "campaign"})
    page = response.content.decode()
    assert response.status_code == 200 and "Spring" in page and "Median days to resolution" in page
    # Residents never appear in the report.
    assert made["enrolled"].resident.last_name not in page


def test_it_refuses_a_backwards_date_range(client, personas):
    client.force_login(personas["program_manager"])
    response = client.get(reverse("cases:outcomes"), {"start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 400 and "start date must be on or before" in response.content.decode()


def test_the_csv_export_is_audited(client, personas, made):
    client.force_login(personas["program_manager"])
    response = client.get(reverse("cases:outcomes"), {"group_by": "program", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Group", "Referrals made", "Accepted"]
    assert rows[1] == ["Tenant Defense", "6", "4", "1", "3", "2", "1", "50", "4.0", "2", "1"]
    assert rows[-1][0] == "All referrals" and rows[-1][1] == "8"
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.object_type) == (personas["program_manager"], "cases.referral_outcomes")


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(1)"])
def test_the_csv_does_not_let_a_name_run_as_a_formula(client, personas, name):
    referral_in_state(program=ProgramFactory(name=name), referrer=personas["outreach_worker"])
    client.force_login(personas["analyst"])
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("cases:outcomes"), {"format": "csv"}).content.decode()))
    )
    assert rows[1][0] == "'" + name
