"""Every page and API route that shows a resident's data writes an audit entry for the user who asked.

The list of such routes is derived from the URL resolver: every pattern with a `...pk` argument, plus the
pages that list residents. Each is classified below; a NEW route fails `test_every_route_is_classified`
until someone decides whether it shows a resident's data (and then proves it is audited).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token

from porchlight.accounts.models import AuditEvent
from porchlight.directory.screening.services import screening_record
from porchlight.outreach.models import Target, TargetList, Turf
from porchlight.people.matching.models import MatchCandidate
from porchlight.testing.factories import (
    AddressFactory,
    CampaignFactory,
    ConversationFactory,
    NeedFactory,
    PhoneFactory,
    ReferralFactory,
    ResidentFactory,
)
from porchlight.testing.factories_cases import CaseFactory

# Routes that show a resident's data, and the object each is opened with (see `objects`).
AUDITED: dict[str, str] = {
    "people:resident_detail": "resident",
    "people:resident_edit": "resident",
    "people:resident_export": "resident",
    "people:resident_erase": "resident",
    "people:match_detail": "match",  # two residents side by side: both reads are audited
    "outreach:conversation_detail": "conversation",
    "outreach:walk_list": "turf",
    "outreach:walk_sheet": "turf",
    "outreach:call_screen": "call_list",
    "cases:referral_new": "need",
    "cases:referral_new_for_resident": "resident",
    "cases:referral_detail": "referral",
    "casework:case_detail": "case",
    "services:screening_new": "resident",
    "services:screening_history": "resident",
    "services:screening_detail": "screening",
    "api:resident-detail": "resident",
    "api:conversation-detail": "conversation",
    "api:turf_bundle": "turf",
    # Lists of residents (or of their conversations, referrals, cases): one entry per page, ids only.
    "people:resident_list": "?q=Whitfield",
    "outreach:conversation_list": "",
    "cases:referral_list": "",
    "casework:case_list": "?scope=team",
    "api:resident-list": "",
    "api:conversation-list": "",
    "api:resident-export": "",
}
LISTS = {name for name, how in AUDITED.items() if not how or how.startswith("?")}

# Routes with an id that show no resident's data, or that only accept a write (audited by its service).
NOT_RESIDENT_DATA: dict[str, str] = {
    "places:import_detail": "an import job's summary and row errors",
    "outreach:campaign_edit": "a campaign",
    "outreach:script_edit": "a campaign's scripts",
    "outreach:targetlist_detail": "turfs and door counts",
    "outreach:targetlist_geojson": "turf outlines and door points, no names",
    "services:program_rules": "a program",
    "services:program_rules_try": "a program's rules tried on made-up answers",
    "services:program_rule_edit": "a program",
    "services:program_rule_delete": "a program",
    "services:program_detail": "a program",
    "services:program_edit": "a program",
    "services:organization_edit": "an organization",
    "services:location_new": "an organization",
    "services:location_edit": "an organization",
    "insights:codebook": "themes",
    "insights:codebook_seed": "themes",
    "insights:theme_create": "themes",
    "insights:theme_edit": "themes",
    "insights:theme_set_active": "themes",
    "insights:theme_example_add": "themes",
    "insights:coding_run_start": "a coding run",
    "insights:coding_progress": "a coding run",
    "insights:notes_review": "scrubbed notes only (no names, phones, emails, addresses)",
    "insights:emergent": "themes from scrubbed notes",
    "insights:emergent_find": "themes from scrubbed notes",
    "insights:emergent_promote": "themes",
    "insights:dialogue_detail": "opinion groups of a dialogue (no residents)",
    "insights:report": "aggregates and scrubbed quotes",
    "insights:report_public": "public aggregates",
    "api:campaign-detail": "a campaign",
}
WRITES: dict[str, str] = {
    "people:match_decide": "merge or mark different (audited by the service)",
    "people:merge_undo": "undo a merge (audited by the service)",
    "outreach:targetlist_cut": "cuts turfs",
    "outreach:turfs_auto_assign": "assigns turfs",
    "outreach:turf_assign": "assigns a turf",
    "outreach:call_assign": "assigns callers",
    "cases:referral_status": "moves a referral (its detail page is audited)",
    "casework:task_done": "marks a task done",
    "casework:task_reopen": "reopens a task",
    "casework:document_received": "marks a document received",
    "casework:case_status": "moves a case",
    "casework:case_reassign": "hands a case over",
    "casework:note_add": "adds a note",
    "casework:document_add": "adds a document",
    "casework:task_add": "adds a task",
    "casework:referral_link": "links referrals",
    "insights:code_decide": "confirms a code",
    "insights:code_add": "adds a code",
    "insights:dialogue_recompute": "recomputes a dialogue",
}


def _routes(patterns: list, namespace: str = "") -> dict[str, set[str]]:
    """Every named route (namespace:name) with the names of its arguments."""
    found: dict[str, set[str]] = {}
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue
            inner = namespace + (f"{p.namespace}:" if p.namespace else "")
            for name, kwargs in _routes(p.url_patterns, inner).items():
                found.setdefault(name, set()).update(kwargs | set(p.pattern.regex.groupindex))
        elif isinstance(p, URLPattern) and p.name:
            found.setdefault(namespace + p.name, set()).update(p.pattern.regex.groupindex)
    return found


def test_every_route_with_an_id_is_classified() -> None:
    with_ids = {name for name, kwargs in _routes(get_resolver().url_patterns).items()
                if any(k.endswith("pk") for k in kwargs)}
    classified = set(AUDITED) - LISTS | set(NOT_RESIDENT_DATA) | set(WRITES)
    assert with_ids - classified == set(), "classify these new routes in this test"
    assert classified - with_ids == set(), "these routes no longer exist: remove them here"
    assert set(_routes(get_resolver().url_patterns)) >= LISTS


@pytest.fixture
def objects(personas):
    worker = personas["outreach_worker"]
    campaign = CampaignFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2030, 12, 31))
    resident = ResidentFactory(first_name="Dana", last_name="Whitfield")
    PhoneFactory(resident=resident)
    conversation = ConversationFactory(campaign=campaign, resident=resident, held_by=worker, team=worker.team)
    need = NeedFactory(conversation=conversation, resident=resident)
    referral = ReferralFactory(need=need)
    case = CaseFactory(resident=resident, owner=personas["case_manager"])
    screening = screening_record(resident=resident, answers={}, actor=personas["administrator"])
    door_list = TargetList.objects.create(campaign=campaign, name="Doors", kind="door", created_by=worker)
    turf = Turf.objects.create(
        target_list=door_list, number=1, name="T1", assigned_to=personas["administrator"]
    )
    address = AddressFactory()
    resident.address = address
    resident.save(update_fields=["address"])
    Target.objects.create(target_list=door_list, turf=turf, address=address, sequence=0)
    call_list = TargetList.objects.create(campaign=campaign, name="Calls", kind="phone", created_by=worker)
    Target.objects.create(
        target_list=call_list, resident=resident, assigned_to=personas["administrator"], sequence=0
    )
    twin = ResidentFactory(first_name="Dana", last_name="Whitfield-Ross")
    match = MatchCandidate.objects.create(resident_a=resident, resident_b=twin, score=5.0)
    return {
        "match": match,
        "resident": resident, "conversation": conversation, "need": need, "referral": referral,
        "case": case, "screening": screening, "turf": turf, "call_list": call_list,
    }


@pytest.mark.parametrize("name", sorted(AUDITED))
def test_it_audits_each_read_for_the_user_who_asked(client, personas, objects, name) -> None:
    admin = personas["administrator"]
    how = AUDITED[name]
    url = reverse(name) + how if name in LISTS else reverse(name, args=[objects[how].pk])
    before = AuditEvent.objects.filter(actor=admin).count()
    if name.startswith("api:"):
        key = Token.objects.get_or_create(user=admin)[0].key
        response = client.get(url, headers={"Authorization": f"Token {key}"})
    else:
        client.force_login(admin)
        response = client.get(url)
    assert response.status_code == 200, (name, response.status_code)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    assert AuditEvent.objects.filter(actor=admin).count() > before, f"{name} wrote no audit entry"


@pytest.mark.parametrize("name", sorted(WRITES))
def test_write_only_routes_show_nothing_on_a_get(client, personas, objects, name) -> None:
    client.force_login(personas["administrator"])
    arg = {"campaign_pk": objects["conversation"].campaign_id, "code_pk": 1, "item_pk": 1, "pk": 1}
    route = _routes(get_resolver().url_patterns)[name]
    url = reverse(name, kwargs={k: arg[k] for k in route if k in arg})
    assert client.get(url).status_code in (302, 404, 405)
