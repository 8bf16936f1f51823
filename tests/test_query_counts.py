"""Query-count pins for every list page and API list.

Each list is read twice: over the small world of the permission matrix, then after three more of everything it
lists were added. The number of queries must not grow with the rows (no query per row), and must stay at or
under its pin, so that a change that adds queries to a list is a deliberate one.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from porchlight.insights.models import StatementSet, TextItem, Theme, ThemeCode
from porchlight.outreach.models import Target, TargetList
from porchlight.people.models import MatchCandidate, ResidentMerge
from porchlight.places.models import ImportJob
from porchlight.testing.factories import (
    AddressFactory,
    ConversationFactory,
    NeedFactory,
    ProgramFactory,
    ReferralFactory,
    ResidentFactory,
)
from porchlight.testing.factories_cases import CaseFactory, TaskFactory
from porchlight.testing.factories_screening import ScreeningFactory

# url name → (persona who reads it, kwargs from the world or None, pinned number of queries).
# What a request costs before its list: the session and user (2), the audit entry of a list of residents'
# data (3: the chain's lock, its last link, the row), and for the API the token and the read rate limit
# counters in the shared database cache (about 6).
LISTS = {
    "web:home": ("outreach_worker", None, 8),
    "people:resident_list": ("administrator", None, 3),
    "people:match_list": ("administrator", None, 6),
    "outreach:conversation_list": ("administrator", None, 10),
    "outreach:campaign_list": ("administrator", None, 4),
    "outreach:targetlist_list": ("administrator", None, 3),
    "outreach:my_queue": ("outreach_worker", None, 5),
    "outreach:call_lists": ("outreach_worker", None, 3),
    "outreach:progress": ("administrator", None, 28),
    "cases:referral_list": ("administrator", None, 11),
    "cases:referral_updates": ("outreach_worker", None, 4),
    "cases:outcomes": ("administrator", None, 6),
    "casework:case_list": ("case_manager", None, 8),
    "casework:task_queue": ("case_manager", None, 3),
    "services:program_list": ("administrator", None, 6),
    "services:organization_list": ("administrator", None, 5),
    "services:ami_table": ("administrator", None, 4),
    "places:import_list": ("administrator", None, 3),
    "insights:dialogues": ("administrator", None, 5),
    "insights:dashboard": ("administrator", None, 14),
    "insights:codebook": ("administrator", "campaign", 10),
    "insights:notes_review": ("administrator", "campaign", 14),
    "insights:emergent": ("administrator", "campaign", 9),
    "api:campaign-list": ("administrator", None, 11),
    "api:resident-list": ("administrator", None, 17),
    "api:conversation-list": ("administrator", None, 17),
}
# The program directory's pages are named `directory:` once the app is renamed.
ALIASES = {"services:": "directory:"}


def _reverse(name: str, **kwargs: int) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except Exception:
        for old, new in ALIASES.items():
            if name.startswith(old):
                return reverse(new + name.removeprefix(old), kwargs=kwargs or None)
        raise


def grow(world: dict, n: int) -> None:
    """n more of every kind of row the lists show, all inside the readers' scope."""
    personas, campaign = world["personas"], world["campaign"]
    worker, case_manager = personas["outreach_worker"], personas["case_manager"]
    for i in range(n):
        resident = ResidentFactory(address=AddressFactory())
        conversation = ConversationFactory(campaign=campaign, held_by=worker, resident=resident)
        need = NeedFactory(conversation=conversation)
        ReferralFactory(need=need, program=world["program"], owner=worker, created_by=worker)
        ProgramFactory()
        TaskFactory(case=CaseFactory(resident=resident, owner=case_manager))
        ScreeningFactory(resident=resident, screened_by=worker)
        calls = TargetList.objects.create(
            campaign=campaign, name=f"Calls {i}", kind="phone", created_by=personas["program_manager"]
        )
        Target.objects.create(target_list=calls, resident=resident, assigned_to=worker)
        ImportJob.objects.create(kind="residents", file_name=f"{i}.csv", created_by=personas["administrator"])
        StatementSet.objects.create(name=f"Dialogue {i}", campaign=campaign)
        theme = Theme.objects.create(campaign=campaign, name=f"Theme {i}")
        item = TextItem.objects.create(
            conversation=conversation, campaign=campaign, field="notes", text="Bus"
        )
        ThemeCode.objects.create(item=item, theme=theme, confidence=0.8)
        MatchCandidate.objects.create(resident_a=world["resident"], resident_b=resident, score=5.0)
        ResidentMerge.objects.create(
            kept=resident, merged=ResidentFactory(), merged_by=personas["administrator"]
        )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(captured)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_it_reads_a_list_in_a_fixed_number_of_queries(client, world, name):
    persona, kwarg, pin = LISTS[name]
    url = _reverse(name, **({"campaign_pk": world[kwarg].pk} if kwarg else {}))
    client.force_login(world["personas"][persona])
    client.get(url)  # warm per-process caches (content types, sessions) out of the count
    small = queries(client, url)
    grow(world, 3)
    large = queries(client, url)
    assert large == small, f"{name}: {small} queries with few rows, {large} with more (a query per row)"
    assert small <= pin, f"{name}: {small} queries, pinned at {pin}"


def test_it_pins_every_list_page():
    """Every page named like a list has a pin here (so a new list page is counted from its first day)."""
    from tests.test_permission_matrix import url_entries

    names = {e.name for e in url_entries() if "{" not in e.route and "<" not in e.route}
    lists = {n for n in names if n.endswith(("_list", "-list", "_lists", "_queue", "dialogues"))}
    unpinned = {n for n in lists if n not in LISTS and n.replace("directory:", "services:") not in LISTS}
    assert not unpinned, f"list pages without a query-count pin: {sorted(unpinned)}"
