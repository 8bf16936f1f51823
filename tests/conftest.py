"""Fixtures shared by the project-wide tests (permission matrix, query counts)."""

from __future__ import annotations

import pytest

from porchlight.accounts.models import Team
from porchlight.accounts.roles import Role
from porchlight.insights.models import EmergentTheme, StatementSet, TextItem, Theme, ThemeCode
from porchlight.outreach.models import Target, TargetList, Turf
from porchlight.people.models import MatchCandidate, ResidentMerge
from porchlight.places.models import ImportJob
from porchlight.testing.factories import (
    AddressFactory,
    CampaignFactory,
    ConversationFactory,
    NeedFactory,
    OrganizationFactory,
    ReferralFactory,
    ResidentFactory,
    TeamFactory,
    UserFactory,
)
from porchlight.testing.factories_cases import CaseDocumentFactory, CaseFactory, TaskFactory
from porchlight.testing.factories_directory import LocationFactory
from porchlight.testing.factories_referrals import partner_program
from porchlight.testing.factories_screening import EligibilityRuleFactory, ScreeningFactory

# One of every object a URL can point at, all inside the city team's scope.


@pytest.fixture
def world(db, personas, city_team, partner_team):
    other_team = TeamFactory(name="Crisis Assistance Ministry", kind=Team.Kind.PARTNER)
    OrganizationFactory(name="Crisis Assistance Ministry", team=other_team)
    personas["other_partner"] = UserFactory(username="other_partner", role=Role.CASE_MANAGER, team=other_team)
    worker, manager, case_manager = (
        personas["outreach_worker"], personas["program_manager"], personas["case_manager"],
    )
    campaign = CampaignFactory()
    resident = ResidentFactory(address=AddressFactory())
    conversation = ConversationFactory(campaign=campaign, held_by=worker, resident=resident)
    need = NeedFactory(conversation=conversation)
    program = partner_program(partner_team)
    referral = ReferralFactory(need=need, program=program, owner=worker, created_by=worker)
    case = CaseFactory(resident=resident, owner=case_manager)
    doors = TargetList.objects.create(campaign=campaign, name="Doors", kind="door", created_by=manager)
    turf = Turf.objects.create(target_list=doors, number=1, name="Turf 1", assigned_to=worker, door_count=1)
    Target.objects.create(target_list=doors, address=resident.address, turf=turf)
    calls = TargetList.objects.create(campaign=campaign, name="Calls", kind="phone", created_by=manager)
    Target.objects.create(target_list=calls, resident=resident, assigned_to=worker)
    theme = Theme.objects.create(campaign=campaign, name="Housing")
    item = TextItem.objects.create(conversation=conversation, campaign=campaign, field="notes", text="Rent")
    twin = ResidentFactory(
        first_name=resident.first_name, last_name=resident.last_name, address=resident.address
    )
    kept, gone = ResidentFactory(), ResidentFactory()
    return {
        "resident": resident,
        "conversation": conversation,
        "need": need,
        "referral": referral,
        "program": program,
        "rule": EligibilityRuleFactory(program=program),
        "organization": program.organization,
        "location": LocationFactory(organization=program.organization),
        "case": case,
        "task": TaskFactory(case=case),
        "document": CaseDocumentFactory(case=case),
        "screening": ScreeningFactory(resident=resident, screened_by=worker),
        "campaign": campaign,
        "target_list": doors,
        "turf": turf,
        "call_list": calls,
        "import_job": ImportJob.objects.create(kind="addresses", file_name="a.csv", created_by=manager),
        "theme": theme,
        "item": item,
        "code": ThemeCode.objects.create(item=item, theme=theme, confidence=0.9),
        "emergent": EmergentTheme.objects.create(campaign=campaign, label="buses", keywords=["bus"]),
        "statement_set": StatementSet.objects.create(name="Can We Talk?", campaign=campaign),
        "match_candidate": MatchCandidate.objects.create(
            resident_a=resident, resident_b=twin, score=8.3,
            reasons={"door": {"level": "same address", "weight": 8.5}},
        ),
        "merge": ResidentMerge.objects.create(kept=kept, merged=gone, merged_by=manager),
        "personas": personas,
    }


