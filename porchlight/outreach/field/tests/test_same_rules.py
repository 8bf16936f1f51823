"""The walk list page and the offline app's sync record a door the same way: the same input gives the same
records (or the same refusal) and the same conflict, because both call field/services.py.

Each scenario is sent once through the web pages and once through POST /api/v1/sync/, with the same client
ids, on the same doors; the records each path wrote are compared field by field (the first path's records
are removed before the second path runs).
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from porchlight.accounts.roles import Role
from porchlight.api.tests.test_api import api_for
from porchlight.outreach.field.attempts import door_state
from porchlight.outreach.field.tests.test_canvass import make_door, make_list, make_turf, running_campaign
from porchlight.outreach.models import Attempt, Conversation, Outcome
from porchlight.testing.factories import ResidentFactory, TopicFactory, UserFactory

SYNC = "/api/v1/sync/"


def minutes_ago(n: int) -> dt.datetime:
    """A time the web form can carry exactly (it has minute precision)."""
    return timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=n)


def local(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def world(personas):
    """A running campaign; a turf of the outreach worker's team with an ordinary door (Ana lives there), a
    do-not-contact door, and a door a teammate (Sam Oh) refused two hours ago."""
    worker = personas[Role.OUTREACH_WORKER]
    campaign = running_campaign(languages=["en", "es"])
    campaign.topics.set([TopicFactory(name="Parks"), TopicFactory(name="Transit")])
    turf = make_turf(make_list(campaign, creator=personas[Role.PROGRAM_MANAGER]), team=worker.team)
    door = make_door(turf, 1, street="12 Elm St")
    ana = ResidentFactory(address=door.address, first_name="Ana", preferred_language="es")
    teammate = UserFactory(role=Role.OUTREACH_WORKER, team=worker.team, first_name="Sam", last_name="Oh")
    refused = make_door(turf, 3, street="16 Elm St")
    Attempt.objects.create(
        client_id=uuid.uuid4(),
        campaign=campaign,
        target=refused,
        address=refused.address,
        channel="door",
        outcome=Outcome.REFUSED,
        made_by=teammate,
        made_at=minutes_ago(120),
    )
    return {
        "worker": worker,
        "campaign": campaign,
        "door": door,
        "dnc": make_door(turf, 2, street="14 Elm St", do_not_contact=True),
        "refused": refused,
        "ana": ana,
        "stranger": ResidentFactory(first_name="Zed"),
    }


# ---- the two paths ----


def web_attempt(client, world: dict, case: dict) -> str | None:
    """A tap on the walk list; the conflict warning shown, if any."""
    data = {
        "target": world[case["door"]].pk,
        "client_id": case["client_id"],
        "outcome": case["outcome"],
        "made_at": local(case["made_at"]),
        "note": case.get("note", ""),
    }
    if case.get("callback_at"):
        data["callback_at"] = local(case["callback_at"])
    response = client.post(reverse("outreach:attempt_new"), data)
    return _warning(response)


def sync_attempt(world: dict, case: dict) -> str | None:
    body = {
        "client_id": case["client_id"],
        "target": world[case["door"]].pk,
        "outcome": case["outcome"],
        "made_at": case["made_at"].isoformat(),
        "note": case.get("note", ""),
    }
    if case.get("callback_at"):
        body["callback_at"] = case["callback_at"].isoformat()
    row = api_for(world["worker"]).post(SYNC, {"attempts": [body]}, format="json").json()["results"][0]
    return row["conflict"]["message"] if row["conflict"] else None


def web_conversation(client, world: dict, case: dict) -> str | None:
    """The conversation form opened from a door (?target=&attempt=)."""
    resident = world[case["resident"]] if case.get("resident") else None
    data = {
        "client_id": case["client_id"],
        "campaign": world["campaign"].pk,
        "channel": "door",
        "held_at": local(case["held_at"]),
        "who": "existing" if resident else "anonymous",
        "resident": resident.pk if resident else "",
        "language": case["language"],
        "topics": [t.pk for t in world["campaign"].topics.filter(name__in=case["topics"])],
        "notes": case["notes"],
        "needs": [category for category, _details in case["needs"]],
        "need_details": case["needs"][0][1] if case["needs"] else "",
    }
    if case["wants_follow_up"]:
        data["wants_follow_up"] = "on"
    url = reverse("outreach:canvass_conversation")
    response = client.post(f"{url}?target={world[case['door']].pk}&attempt={case['attempt_client_id']}", data)
    return _warning(response)


def sync_conversation(world: dict, case: dict) -> str | None:
    """The offline app's batch: the conversation and the attempt that points to it."""
    resident = world[case["resident"]] if case.get("resident") else None
    target = world[case["door"]].pk
    conversation = {
        "client_id": case["client_id"],
        "target": target,
        "held_at": case["held_at"].isoformat(),
        "resident": resident.pk if resident else None,
        "language": case["language"],
        "topics": [t.pk for t in world["campaign"].topics.filter(name__in=case["topics"])],
        "notes": case["notes"],
        "needs": [{"category": c, "details": d} for c, d in case["needs"]],
        "wants_follow_up": case["wants_follow_up"],
    }
    attempt = {
        "client_id": case["attempt_client_id"],
        "target": target,
        "outcome": "conversation",
        "made_at": case["held_at"].isoformat(),
        "conversation_client_id": case["client_id"],
    }
    batch = {"conversations": [conversation], "attempts": [attempt]}
    rows = api_for(world["worker"]).post(SYNC, batch, format="json").json()["results"]
    assert len({r["status"] for r in rows}) == 1, rows  # saved together or refused together
    return rows[1]["conflict"]["message"] if rows[1]["conflict"] else None


def _warning(response) -> str | None:
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    return warnings[0] if warnings else None


# ---- what each path wrote ----


def written(case: dict) -> dict:
    ids = [case[k] for k in ("client_id", "attempt_client_id") if k in case]
    attempts = [
        (
            str(a.client_id),
            a.campaign_id,
            a.target_id,
            a.address_id,
            a.resident_id,
            a.channel,
            a.outcome,
            a.made_by_id,
            a.made_at,
            a.callback_at,
            a.note,
            str(a.conversation.client_id) if a.conversation else None,
        )
        for a in Attempt.objects.filter(client_id__in=ids).select_related("conversation").order_by("pk")
    ]
    conversations = [
        (
            str(c.client_id),
            c.campaign_id,
            c.channel,
            c.held_by_id,
            c.team_id,
            c.held_at,
            c.resident_id,
            c.address_id,
            c.area_id,
            c.language,
            c.notes,
            c.wants_follow_up,
            sorted(t.name for t in c.topics.all()),
            sorted((n.category, n.description) for n in c.needs.all()),
        )
        for c in Conversation.objects.filter(client_id__in=ids).order_by("client_id")
    ]
    return {"attempts": attempts, "conversations": conversations}


def forget(case: dict) -> None:
    ids = [case[k] for k in ("client_id", "attempt_client_id") if k in case]
    Attempt.objects.filter(client_id__in=ids).delete()
    Conversation.objects.filter(client_id__in=ids).delete()


def both_paths(client, world: dict, case: dict, *, times: int = 1) -> tuple[dict, dict, list, list]:
    """Send the case through the web (`times` times), then through sync; what each wrote and warned."""
    web, sync = (web_conversation, sync_conversation) if "held_at" in case else (web_attempt, sync_attempt)
    client.force_login(world["worker"])
    web_said = [web(client, world, case) for _ in range(times)]
    by_web = written(case)
    forget(case)
    sync_said = [sync(world, case) for _ in range(times)]
    return by_web, written(case), web_said, sync_said


# ---- door outcomes ----

ATTEMPTS = {
    "not home": ({"door": "door", "outcome": Outcome.NOT_HOME, "made_at": 30, "note": "Dog barked"}, True),
    "call back": ({"door": "door", "outcome": Outcome.CALL_BACK, "made_at": 30, "callback_in": 1440}, True),
    "a phone outcome at a door": ({"door": "door", "outcome": Outcome.NO_ANSWER, "made_at": 30}, False),
    "in the future": ({"door": "door", "outcome": Outcome.NOT_HOME, "made_at": -24 * 60}, False),
    "a call back without its time": ({"door": "door", "outcome": Outcome.CALL_BACK, "made_at": 30}, False),
    "a do-not-contact door": ({"door": "dnc", "outcome": Outcome.NOT_HOME, "made_at": 30}, False),
}


def attempt_case(spec: dict) -> dict:
    case = {**spec, "client_id": str(uuid.uuid4()), "made_at": minutes_ago(spec["made_at"])}
    if "callback_in" in spec:
        case["callback_at"] = case["made_at"] + dt.timedelta(minutes=case.pop("callback_in"))
    return case


@pytest.mark.parametrize("name", ATTEMPTS)
def test_it_records_or_refuses_a_door_outcome_the_same_way(client, world, name):
    spec, accepted = ATTEMPTS[name]
    case = attempt_case(spec)
    by_web, by_sync, web_said, sync_said = both_paths(client, world, case)
    assert by_web == by_sync
    assert bool(by_web["attempts"]) is accepted
    assert web_said == sync_said == [None]


def test_it_records_a_retried_tap_once_either_way(client, world):
    case = attempt_case(ATTEMPTS["not home"][0])
    by_web, by_sync, _web_said, _sync_said = both_paths(client, world, case, times=2)
    assert by_web == by_sync and len(by_web["attempts"]) == 1


# ---- the conflict rule ----


def test_it_keeps_a_late_not_home_at_a_door_a_teammate_finished_and_says_so_either_way(client, world):
    case = attempt_case({"door": "refused", "outcome": Outcome.NOT_HOME, "made_at": 60})
    by_web, by_sync, web_said, sync_said = both_paths(client, world, case)
    assert by_web == by_sync and len(by_web["attempts"]) == 1
    assert web_said == sync_said
    assert web_said[0].startswith("Door already completed by Sam Oh at ") and "(Refused)" in web_said[0]
    state = door_state(Attempt.objects.filter(target=world["refused"]))
    assert state.finished and state.decider.outcome == Outcome.REFUSED


def test_it_lets_a_later_final_outcome_decide_the_door_either_way(client, world):
    case = attempt_case({"door": "refused", "outcome": Outcome.MOVED, "made_at": 60})
    by_web, by_sync, web_said, sync_said = both_paths(client, world, case)
    assert by_web == by_sync and web_said == sync_said == [None]
    assert door_state(Attempt.objects.filter(target=world["refused"])).decider.outcome == Outcome.MOVED


def test_it_lets_a_worker_correct_their_own_tap_either_way(client, world):
    first = attempt_case({"door": "door", "outcome": Outcome.REFUSED, "made_at": 20})
    later = attempt_case({"door": "door", "outcome": Outcome.NOT_HOME, "made_at": 10})
    client.force_login(world["worker"])
    web_said = [web_attempt(client, world, first), web_attempt(client, world, later)]
    web_state = door_state(Attempt.objects.filter(target=world["door"]))
    by_web = (written(first), written(later), web_state.decider.outcome, web_state.finished)
    forget(first), forget(later)
    sync_said = [sync_attempt(world, first), sync_attempt(world, later)]
    sync_state = door_state(Attempt.objects.filter(target=world["door"]))
    assert by_web == (written(first), written(later), sync_state.decider.outcome, sync_state.finished)
    assert web_said == sync_said == [None, None]
    assert sync_state.decider.outcome == Outcome.NOT_HOME and not sync_state.finished


# ---- a conversation at the door ----


def conversation_case(**overrides: object) -> dict:
    return {
        "door": "door",
        "client_id": str(uuid.uuid4()),
        "attempt_client_id": str(uuid.uuid4()),
        "held_at": minutes_ago(15),
        "resident": "ana",
        "language": "es",
        "topics": ["Parks"],
        "notes": "Streetlight out on the corner.",
        "needs": [("housing", "Rent went up")],
        "wants_follow_up": True,
        **overrides,
    }


def test_it_logs_a_conversation_with_its_attempt_the_same_way(client, world):
    case = conversation_case()
    by_web, by_sync, web_said, sync_said = both_paths(client, world, case, times=2)
    assert by_web == by_sync and web_said == sync_said == [None, None]
    [attempt] = by_web["attempts"]
    [conversation] = by_web["conversations"]
    assert attempt[6] == Outcome.CONVERSATION and attempt[-1] == case["client_id"]
    assert conversation[6] == world["ana"].pk and conversation[7] == world["door"].address_id
    assert conversation[-1] == [("housing", "Rent went up")]


def test_it_places_an_anonymous_conversation_at_the_door_either_way(client, world):
    case = conversation_case(resident=None, needs=[], wants_follow_up=False, language="en")
    by_web, by_sync, _web_said, _sync_said = both_paths(client, world, case)
    assert by_web == by_sync
    assert by_web["conversations"][0][6:8] == (None, world["door"].address_id)


@pytest.mark.parametrize(
    "overrides",
    [
        {"resident": "stranger"},  # not living at that door
        {"door": "dnc", "resident": None},  # the door asked not to be contacted
        {"held_at": minutes_ago(60 * 24 * 365 * 20)},  # long before the campaign
    ],
    ids=["someone-not-living-there", "do-not-contact-door", "before-the-campaign"],
)
def test_it_refuses_a_conversation_and_its_attempt_together_either_way(client, world, overrides):
    case = conversation_case(**overrides)
    by_web, by_sync, _web_said, _sync_said = both_paths(client, world, case)
    assert by_web == by_sync == {"attempts": [], "conversations": []}


def test_it_logs_a_conversation_at_a_door_a_teammate_refused_without_a_conflict_either_way(client, world):
    # A later final outcome replaces an earlier one: the conversation decides the door.
    case = conversation_case(door="refused", resident=None)
    by_web, by_sync, web_said, sync_said = both_paths(client, world, case)
    assert by_web == by_sync and len(by_web["attempts"]) == 1
    assert web_said == sync_said == [None]
