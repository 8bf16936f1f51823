"""The offline app's API: turf bundles (scoped, audited) and batch sync (idempotent, per-record answers)."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from porchlight.accounts.models import AuditEvent
from porchlight.accounts.roles import Role
from porchlight.api.tests.test_api import api_for
from porchlight.outreach.field.attempts import door_state
from porchlight.outreach.models import Attempt, Conversation, Need, Script, Target, TargetList, Turf
from porchlight.testing.factories import (
    AddressFactory,
    CampaignFactory,
    ResidentFactory,
    TeamFactory,
    UserFactory,
)

SYNC = "/api/v1/sync/"


@pytest.fixture
def turf(personas):
    """A door turf of three doors assigned to the outreach worker; one door has two residents."""
    campaign = CampaignFactory(start_date=dt.date(2017, 1, 1), end_date=dt.date(2030, 12, 31))
    Script.objects.create(campaign=campaign, language="en", body="Hi, I'm with the city.")
    Script.objects.create(campaign=campaign, language="es", body="Hola, soy de la ciudad.")
    target_list = TargetList.objects.create(
        campaign=campaign, name="East side", kind="door", created_by=personas["program_manager"]
    )
    turf = Turf.objects.create(
        target_list=target_list, number=1, name="Turf 1", assigned_to=personas["outreach_worker"]
    )
    for i in range(3):
        Target.objects.create(target_list=target_list, turf=turf, address=AddressFactory(), sequence=i)
    door = turf.targets.order_by("sequence").first()
    ResidentFactory(address=door.address, first_name="Ana", last_name="Diaz", preferred_language="es")
    ResidentFactory(address=door.address, first_name="Bo", last_name="Diaz", do_not_contact=True)
    return turf


def _doors(turf):
    return list(turf.targets.order_by("sequence"))


def _attempt(door, **overrides):
    body = {
        "client_id": str(uuid.uuid4()),
        "target": door.pk,
        "outcome": "not_home",
        "made_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat(),
    }
    body.update(overrides)
    return body


def _conversation(target, **overrides):
    body = {
        "client_id": str(uuid.uuid4()),
        "target": target.pk,
        "held_at": (timezone.now() - dt.timedelta(minutes=20)).isoformat(),
        "language": "es",
        "topics": [target.target_list.campaign.topics.first().pk],
        "notes": "Streetlight out on the corner.",
        "needs": [{"category": "housing", "details": "Rent went up"}],
        "wants_follow_up": True,
    }
    body.update(overrides)
    return body


# ---- sync -----


def test_it_creates_each_record_once_when_the_same_batch_is_sent_twice(personas, turf):
    api = api_for(personas["outreach_worker"])
    a, b, c = _doors(turf)
    conversation = _conversation(a)
    batch = {
        "conversations": [conversation],
        "attempts": [
            _attempt(a, outcome="conversation", conversation_client_id=conversation["client_id"]),
            _attempt(b),
            _attempt(c, outcome="refused"),
        ],
    }
    first = api.post(SYNC, batch, format="json")
    second = api.post(SYNC, batch, format="json")
    assert first.status_code == second.status_code == 200
    assert [r["status"] for r in first.json()["results"]] == ["created"] * 4
    assert [r["status"] for r in second.json()["results"]] == ["duplicate"] * 4
    assert [r["id"] for r in first.json()["results"]] == [r["id"] for r in second.json()["results"]]
    assert Attempt.objects.count() == 3 and Conversation.objects.count() == 1 and Need.objects.count() == 1
    linked = Attempt.objects.get(target=a)
    saved = Conversation.objects.get()
    assert linked.conversation == saved and saved.address == a.address and saved.wants_follow_up
    assert saved.held_by == personas["outreach_worker"] and saved.channel == "door"


def test_it_rejects_bad_records_and_keeps_the_good_ones(personas, turf):
    api = api_for(personas["outreach_worker"])
    a, b, _c = _doors(turf)
    good = _attempt(a)
    batch = {
        "attempts": [
            good,
            _attempt(b, outcome="wrong_number"),  # a phone outcome at a door
            _attempt(b, made_at=(timezone.now() + dt.timedelta(days=1)).isoformat()),
            _attempt(b, target=999_999),
            {"client_id": "not-a-uuid", "target": b.pk},
            _attempt(b, conversation_client_id=str(uuid.uuid4())),
        ],
        "conversations": [_conversation(b, resident=ResidentFactory().pk)],  # not living at that door
    }
    response = api.post(SYNC, batch, format="json")
    assert response.status_code == 200
    results = {r["client_id"]: r for r in response.json()["results"]}
    assert results[good["client_id"]]["status"] == "created"
    rejected = [r for r in response.json()["results"] if r["status"] == "rejected"]
    assert len(rejected) == 6
    assert all(r["errors"] for r in rejected)
    assert {"outcome", "made_at", "target", "client_id", "conversation_client_id", "resident"} <= {
        key for r in rejected for key in r["errors"]
    }
    assert list(Attempt.objects.values_list("client_id", flat=True)) == [uuid.UUID(good["client_id"])]
    assert not Conversation.objects.exists()


def test_it_links_a_conversation_with_a_resident_of_the_door(personas, turf):
    api = api_for(personas["outreach_worker"])
    door = _doors(turf)[0]
    ana = door.address.residents.get(first_name="Ana")
    response = api.post(SYNC, {"conversations": [_conversation(door, resident=ana.pk)]}, format="json")
    assert response.json()["results"][0]["status"] == "created"
    assert Conversation.objects.get().resident == ana


def test_it_refuses_a_batch_over_the_limit_and_a_malformed_one(personas, turf):
    api = api_for(personas["outreach_worker"])
    door = _doors(turf)[0]
    too_big = api.post(SYNC, {"attempts": [_attempt(door) for _ in range(201)]}, format="json")
    assert too_big.status_code == 413 and "200" in too_big.json()["detail"]
    assert api.post(SYNC, {"attempts": "nope"}, format="json").status_code == 400
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outreach_worker", 200),
        ("program_manager", 200),
        ("administrator", 200),
        ("case_manager", 403),
        ("analyst", 403),
        ("partner", 403),
    ],
)
def test_it_lets_only_those_who_log_conversations_sync(personas, turf, persona, expected):
    response = api_for(personas[persona]).post(SYNC, {"attempts": []}, format="json")
    assert response.status_code == expected


def test_it_asks_anonymous_clients_to_authenticate(turf):
    assert APIClient().post(SYNC, {"attempts": []}, format="json").status_code == 401


def test_it_rejects_attempts_on_someone_elses_turf(personas, turf):
    # The program manager may sync, but the turf is the worker's and they never downloaded it.
    api = api_for(personas["program_manager"])
    response = api.post(SYNC, {"attempts": [_attempt(_doors(turf)[0])]}, format="json")
    assert response.json()["results"][0]["status"] == "rejected"
    assert "target" in response.json()["results"][0]["errors"]


def test_it_accepts_attempts_on_a_turf_downloaded_before_it_was_reassigned(personas, turf):
    api = api_for(personas["outreach_worker"])
    assert api.get(f"/api/v1/turfs/{turf.pk}/bundle/").status_code == 200
    turf.assigned_to = personas["program_manager"]
    turf.save(update_fields=["assigned_to"])
    response = api.post(SYNC, {"attempts": [_attempt(_doors(turf)[0])]}, format="json")
    assert response.json()["results"][0]["status"] == "created"


def test_it_never_answers_with_another_workers_record(personas, turf):
    worker = personas["outreach_worker"]
    door = _doors(turf)[0]
    record = _attempt(door)
    assert api_for(worker).post(SYNC, {"attempts": [record]}, format="json").json()["results"][0]["id"]
    turf.assigned_to = None
    turf.assigned_team = worker.team
    turf.save(update_fields=["assigned_to", "assigned_team"])
    teammate = UserFactory(role=Role.OUTREACH_WORKER, team=worker.team)
    result = api_for(teammate).post(SYNC, {"attempts": [record]}, format="json").json()["results"][0]
    assert result["status"] == "rejected" and result["id"] is None


def test_it_shifts_times_from_a_phone_whose_clock_runs_fast(personas, turf):
    api = api_for(personas["outreach_worker"])
    ahead = dt.timedelta(hours=2)
    made_at = timezone.now() + ahead - dt.timedelta(minutes=10)  # ten minutes ago on the phone's fast clock
    batch = {
        "sent_at": (timezone.now() + ahead).isoformat(),
        "attempts": [_attempt(_doors(turf)[0], made_at=made_at.isoformat())],
    }
    assert api.post(SYNC, batch, format="json").json()["results"][0]["status"] == "created"
    recorded = Attempt.objects.get().made_at
    assert abs(recorded - (timezone.now() - dt.timedelta(minutes=10))) < dt.timedelta(minutes=1)


# ---- the conflict rule -----


def test_it_keeps_both_attempts_and_keeps_the_door_finished_against_a_later_not_home(personas, turf):
    worker = personas["outreach_worker"]
    turf.assigned_to = None
    turf.assigned_team = worker.team
    turf.save(update_fields=["assigned_to", "assigned_team"])
    teammate = UserFactory(role=Role.OUTREACH_WORKER, team=worker.team, first_name="Sam", last_name="Oh")
    door = _doors(turf)[1]
    now = timezone.now()
    done = _attempt(door, outcome="refused", made_at=(now - dt.timedelta(hours=2)).isoformat())
    assert (
        api_for(teammate).post(SYNC, {"attempts": [done]}, format="json").json()["results"][0]["conflict"]
        is None
    )
    # The worker was offline and knocked later without knowing: their "not home" is kept, but does not count.
    late = _attempt(door, outcome="not_home", made_at=(now - dt.timedelta(hours=1)).isoformat())
    result = api_for(worker).post(SYNC, {"attempts": [late]}, format="json").json()["results"][0]
    assert result["status"] == "created"
    assert result["conflict"]["by"] == "Sam Oh" and result["conflict"]["outcome"] == "refused"
    assert result["conflict"]["counted"] is False
    assert "already completed by Sam Oh" in result["conflict"]["message"]
    assert Attempt.objects.filter(target=door).count() == 2
    state = door_state(Attempt.objects.filter(target=door))
    assert state.finished and state.decider.made_by == teammate


def test_it_lets_a_worker_correct_their_own_final_outcome(personas, turf):
    worker = personas["outreach_worker"]
    door = _doors(turf)[0]
    now = timezone.now()
    batch = {
        "attempts": [
            _attempt(door, outcome="refused", made_at=(now - dt.timedelta(minutes=9)).isoformat()),
            _attempt(door, outcome="not_home", made_at=(now - dt.timedelta(minutes=8)).isoformat()),
        ]
    }
    results = api_for(worker).post(SYNC, batch, format="json").json()["results"]
    assert [r["conflict"] for r in results] == [None, None]
    state = door_state(Attempt.objects.filter(target=door))
    assert not state.finished and state.decider.outcome == "not_home"


def test_it_decides_between_two_final_outcomes_by_the_latest(personas, turf):
    worker = personas["outreach_worker"]
    other = UserFactory(role=Role.OUTREACH_WORKER, team=TeamFactory())
    door = _doors(turf)[2]
    now = timezone.now()
    first = Attempt.objects.create(
        campaign=turf.target_list.campaign,
        target=door,
        channel="door",
        outcome="conversation",
        made_by=other,
        made_at=now - dt.timedelta(hours=3),
    )
    later = _attempt(door, outcome="refused", made_at=(now - dt.timedelta(hours=1)).isoformat())
    result = api_for(worker).post(SYNC, {"attempts": [later]}, format="json").json()["results"][0]
    assert result["conflict"] is None
    state = door_state(Attempt.objects.filter(target=door))
    assert state.decider.outcome == "refused" and state.overridden == []
    earlier = _attempt(door, outcome="moved", made_at=(now - dt.timedelta(hours=4)).isoformat())
    # An older final outcome of the worker's own: the worker's later refusal decides; no conflict.
    assert (
        api_for(worker).post(SYNC, {"attempts": [earlier]}, format="json").json()["results"][0]["conflict"]
        is None
    )
    assert first.pk in Attempt.objects.filter(target=door).values_list("pk", flat=True)


# ---- the bundle -----


def test_it_gives_the_worker_their_turf_bundle_and_audits_it(personas, turf):
    worker = personas["outreach_worker"]
    door = _doors(turf)[0]
    Attempt.objects.create(
        campaign=turf.target_list.campaign,
        target=door,
        channel="door",
        outcome="not_home",
        made_by=worker,
        made_at=timezone.now() - dt.timedelta(days=3),
    )
    response = api_for(worker).get(f"/api/v1/turfs/{turf.pk}/bundle/")
    assert response.status_code == 200
    bundle = response.json()
    assert bundle["turf"]["id"] == turf.pk and [d["target"] for d in bundle["doors"]] == [
        t.pk for t in _doors(turf)
    ]
    first = bundle["doors"][0]
    assert sorted(r["name"] for r in first["residents"]) == ["Ana Diaz", "Bo Diaz"]
    assert {r["name"]: r["do_not_contact"] for r in first["residents"]} == {
        "Ana Diaz": False,
        "Bo Diaz": True,
    }
    assert set(first["residents"][0]) == {"id", "name", "language", "do_not_contact"}  # nothing more
    assert first["attempts"][0]["outcome"] == "not_home" and first["state"]["final"] is False
    assert bundle["scripts"] == {"en": "Hi, I'm with the city.", "es": "Hola, soy de la ciudad."}
    assert len(bundle["topics"]) == 5 and "wrong_number" not in {o["value"] for o in bundle["outcomes"]}
    assert {"housing", "legal"} <= {c["value"] for c in bundle["need_categories"]}
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.object_type, event.object_id) == (worker, "outreach.turf", str(turf.pk))


def test_it_gives_a_team_turf_to_the_team(personas, turf):
    turf.assigned_to = None
    turf.assigned_team = personas["outreach_worker"].team
    turf.save(update_fields=["assigned_to", "assigned_team"])
    assert api_for(personas["program_manager"]).get(f"/api/v1/turfs/{turf.pk}/bundle/").status_code == 200


@pytest.mark.parametrize(
    ("persona", "expected"), [("program_manager", 404), ("analyst", 403), ("partner", 403)]
)
def test_it_hides_other_peoples_turfs(personas, turf, persona, expected):
    assert api_for(personas[persona]).get(f"/api/v1/turfs/{turf.pk}/bundle/").status_code == expected
    assert api_for(personas["outreach_worker"]).get("/api/v1/turfs/999999/bundle/").status_code == 404
    assert not AuditEvent.objects.filter(action="export", actor=personas[persona]).exists()


def test_it_refuses_a_conversation_together_with_its_refused_attempt(personas, turf):
    # The conversation and its attempt are one write (field.services.conversation_at_target_log): an attempt
    # the rules refuse (here, in the future) takes its conversation with it, and both say why.
    api = api_for(personas["outreach_worker"])
    door = _doors(turf)[0]
    conversation = _conversation(door)
    later = (timezone.now() + dt.timedelta(days=1)).isoformat()
    attempt = _attempt(door, outcome="conversation", conversation_client_id=conversation["client_id"])
    batch = {"conversations": [conversation], "attempts": [{**attempt, "made_at": later}]}
    rows = api.post(SYNC, batch, format="json").json()["results"]
    assert [r["status"] for r in rows] == ["rejected", "rejected"]
    assert all("made_at" in r["errors"] for r in rows)
    assert not Conversation.objects.exists() and not Attempt.objects.exists() and not Need.objects.exists()
    # Sent again with a good time, both are saved, linked.
    batch = {"conversations": [conversation], "attempts": [attempt]}
    rows = api.post(SYNC, batch, format="json").json()["results"]
    assert [r["status"] for r in rows] == ["created", "created"]
    assert Attempt.objects.get().conversation == Conversation.objects.get()
