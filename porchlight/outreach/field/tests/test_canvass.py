"""Walk lists, the worker's queue, scripts and call queues (field/canvass.py; call-list writes: services)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from porchlight.accounts.models import User
from porchlight.accounts.roles import Role
from porchlight.outreach.field import canvass, selectors, services
from porchlight.outreach.field.services import attempt_record
from porchlight.outreach.models import Campaign, Outcome, Script, Target, TargetList, Turf
from porchlight.people.models import Resident
from porchlight.testing.factories import (
    AddressFactory,
    CampaignFactory,
    PhoneFactory,
    ResidentFactory,
    TeamFactory,
    UserFactory,
)

NOW = dt.datetime(2030, 6, 3, 15, 0, tzinfo=dt.UTC)


# ---- small factories for the rows the target-list engineer's services will make ------


def running_campaign(**kwargs: object) -> Campaign:
    today = timezone.localdate()
    defaults = {"start_date": today - dt.timedelta(days=30), "end_date": today + dt.timedelta(days=3650)}
    return CampaignFactory(**{**defaults, **kwargs})


def make_list(campaign: Campaign, kind: str = "door", creator: User | None = None) -> TargetList:
    return TargetList.objects.create(
        campaign=campaign,
        name=f"{kind} list {TargetList.objects.count() + 1}",
        kind=kind,
        created_by=creator or UserFactory(role=Role.PROGRAM_MANAGER),
    )


def make_turf(target_list: TargetList, *, user: User | None = None, team: object = None) -> Turf:
    number = Turf.objects.filter(target_list=target_list).count() + 1
    return Turf.objects.create(
        target_list=target_list, number=number, name=f"Turf {number}", assigned_to=user, assigned_team=team
    )


def make_door(turf: Turf, sequence: int, *languages: str, **address: object) -> Target:
    """A door on the turf with one resident per language given."""
    addr = AddressFactory(**address)
    for lang in languages:
        ResidentFactory(address=addr, preferred_language=lang)
    return Target.objects.create(target_list=turf.target_list, address=addr, turf=turf, sequence=sequence)


def make_call(
    target_list: TargetList, sequence: int, *, caller: User | None = None, **resident: object
) -> Target:
    person = ResidentFactory(**resident)
    PhoneFactory(resident=person)
    return Target.objects.create(
        target_list=target_list, resident=person, sequence=sequence, assigned_to=caller
    )


def knock(target: Target, worker: User, outcome: str, at: dt.datetime, **kwargs: object):
    return attempt_record(
        actor=worker,
        client_id=uuid.uuid4(),
        campaign=target.target_list.campaign,
        channel=target.target_list.kind,
        outcome=outcome,
        made_at=at,
        target=target,
        **kwargs,
    )


@pytest.fixture
def worker(db) -> User:
    return UserFactory(username="walker", role=Role.OUTREACH_WORKER)


# ---- scripts ------


def test_it_finds_the_script_in_the_language_and_falls_back_to_english(db):
    campaign = running_campaign(languages=["en", "es", "vi"])
    services.scripts_save(campaign=campaign, bodies={"en": "Hello", "es": "Hola", "vi": "  "})
    assert canvass.script_for(campaign=campaign, language="es").body == "Hola"
    assert canvass.script_for(campaign=campaign, language="vi").body == "Hello"
    assert not Script.objects.filter(language="vi").exists()


def test_it_removes_a_script_saved_empty_and_has_none_without_english(db):
    campaign = running_campaign()
    services.scripts_save(campaign=campaign, bodies={"en": "Hello", "es": "Hola"})
    services.scripts_save(campaign=campaign, bodies={"en": "", "es": "Hola otra vez"})
    assert canvass.script_for(campaign=campaign, language="fr") is None
    assert canvass.script_for(campaign=campaign, language="es").body == "Hola otra vez"


def test_it_refuses_a_script_in_an_unknown_language(db):
    campaign = running_campaign()
    with pytest.raises(ValidationError):
        services.scripts_save(campaign=campaign, bodies={"xx": "?"})
    assert not Script.objects.exists()


# ---- walk list ------


def test_it_lists_doors_in_walking_order_with_residents_history_and_scripts(worker):
    campaign = running_campaign()
    Script.objects.create(campaign=campaign, language="en", body="Hi")
    Script.objects.create(campaign=campaign, language="es", body="Hola")
    turf = make_turf(make_list(campaign), user=worker)
    third = make_door(turf, 3, "en")
    first = make_door(turf, 1, "es", "en")
    second = make_door(turf, 2, "vi")
    knock(first, worker, Outcome.NOT_HOME, timezone.now() - dt.timedelta(hours=50))
    knock(first, worker, Outcome.NOT_HOME, timezone.now() - dt.timedelta(hours=1))

    doors = canvass.walk_list(turf=turf)

    assert [d.target for d in doors] == [first, second, third]
    assert len(doors[0].residents) == 2
    assert [a.made_at for a in doors[0].attempts] == sorted(
        (a.made_at for a in doors[0].attempts), reverse=True
    )
    assert not doors[0].due and doors[1].due
    assert {s.body for s in doors[0].scripts} == {"Hola", "Hi"}
    assert [s.body for s in doors[1].scripts] == ["Hi"]  # Vietnamese falls back to English


def test_it_marks_do_not_contact_doors_and_never_makes_them_due(worker):
    turf = make_turf(make_list(running_campaign()), user=worker)
    make_door(turf, 1, "en", do_not_contact=True)
    everyone_dnc = make_door(turf, 2, "en")
    Resident.objects.filter(address=everyone_dnc.address).update(do_not_contact=True)
    doors = canvass.walk_list(turf=turf)
    assert all(d.blocked and not d.due for d in doors)


def test_it_reads_a_walk_list_in_a_fixed_number_of_queries(worker, django_assert_max_num_queries):
    turf = make_turf(make_list(running_campaign()), user=worker)
    for i in range(15):
        door = make_door(turf, i, "en", "es")
        knock(door, worker, Outcome.NOT_HOME, timezone.now() - dt.timedelta(hours=3))
    with django_assert_max_num_queries(8):
        doors = canvass.walk_list(turf=Turf.objects.select_related("target_list__campaign").get(pk=turf.pk))
        assert sum(len(d.residents) for d in doors) == 30


def test_it_scopes_turfs_to_the_worker_and_their_team(db):
    team = TeamFactory(name="Northside")
    mine = UserFactory(role=Role.OUTREACH_WORKER, team=team)
    teammate = UserFactory(role=Role.OUTREACH_WORKER, team=team)
    stranger = UserFactory(role=Role.OUTREACH_WORKER)
    manager = UserFactory(role=Role.PROGRAM_MANAGER)
    analyst = UserFactory(role=Role.ANALYST)
    door_list = make_list(running_campaign())
    own = make_turf(door_list, user=mine)
    teams = make_turf(door_list, team=team)
    other = make_turf(door_list, user=stranger)
    assert set(selectors.turfs_visible_to(mine)) == {own, teams}
    assert set(selectors.turfs_visible_to(teammate)) == {teams}
    assert set(selectors.turfs_visible_to(manager)) == {own, teams, other}
    assert set(selectors.turfs_assigned_to(manager)) == set()
    assert not selectors.turfs_visible_to(analyst).exists()


# ---- queue ------


def test_it_puts_due_callbacks_first_then_due_targets_across_turfs_and_calls(worker):
    campaign = running_campaign()
    turf = make_turf(make_list(campaign), user=worker)
    calls = make_list(campaign, "phone")
    now = timezone.now()
    fresh = make_door(turf, 1, "en")
    revisit = make_door(turf, 2, "en")
    knock(revisit, worker, Outcome.NOT_HOME, now - dt.timedelta(hours=49))
    later = make_door(turf, 3, "en")
    knock(later, worker, Outcome.NOT_HOME, now - dt.timedelta(hours=1))
    callback_old = make_door(turf, 4, "en")
    knock(
        callback_old,
        worker,
        Outcome.CALL_BACK,
        now - dt.timedelta(hours=5),
        callback_at=now - dt.timedelta(hours=2),
    )
    callback_future = make_door(turf, 5, "en")
    knock(
        callback_future,
        worker,
        Outcome.CALL_BACK,
        now - dt.timedelta(hours=1),
        callback_at=now + dt.timedelta(hours=2),
    )
    done = make_door(turf, 6, "en")
    knock(done, worker, Outcome.REFUSED, now - dt.timedelta(days=5))
    phone_callback = make_call(calls, 1, caller=worker)
    knock(
        phone_callback,
        worker,
        Outcome.CALL_BACK,
        now - dt.timedelta(hours=3),
        callback_at=now - dt.timedelta(minutes=5),
    )
    phone_due = make_call(calls, 2, caller=worker)
    make_call(calls, 3, caller=UserFactory())  # someone else's call

    queue = canvass.queue_for(user=worker, now=now)

    targets = [d.target for d in queue]
    assert targets[:2] == [callback_old, phone_callback]  # callbacks, oldest promise first
    assert set(targets[2:]) == {fresh, revisit, phone_due}
    assert targets[2] == revisit  # due since yesterday comes before the never-knocked (due from now)


def test_it_leaves_ended_campaigns_and_do_not_contact_out_of_the_queue(worker):
    ended = CampaignFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2020, 2, 1))
    make_door(make_turf(make_list(ended), user=worker), 1, "en")
    calls = make_list(running_campaign(), "phone")
    make_call(calls, 1, caller=worker, do_not_contact=True)
    make_call(calls, 2, caller=worker, consent_to_contact=False)
    assert canvass.queue_for(user=worker) == []


def test_it_stops_after_the_maximum_number_of_attempts(worker, settings):
    settings.OUTREACH_MAX_ATTEMPTS = 2
    turf = make_turf(make_list(running_campaign()), user=worker)
    door = make_door(turf, 1, "en")
    knock(door, worker, Outcome.NOT_HOME, timezone.now() - dt.timedelta(days=9))
    assert [d.target for d in canvass.queue_for(user=worker)] == [door]
    knock(door, worker, Outcome.NOT_HOME, timezone.now() - dt.timedelta(days=7))
    assert canvass.queue_for(user=worker) == []


# ---- call lists ------


def test_it_assigns_the_next_unassigned_callable_residents_in_order(db):
    calls = make_list(running_campaign(), "phone")
    caller = UserFactory(role=Role.OUTREACH_WORKER)
    first = make_call(calls, 1)
    make_call(calls, 2, do_not_contact=True)
    third = make_call(calls, 3)
    taken = make_call(calls, 4, caller=UserFactory())
    fifth = make_call(calls, 5)
    assert services.call_assign_next(target_list=calls, caller=caller, count=2) == 2
    assert set(Target.objects.filter(assigned_to=caller)) == {first, third}
    assert services.call_assign_next(target_list=calls, caller=caller, count=10) == 1
    assert set(Target.objects.filter(assigned_to=caller)) == {first, third, fifth}
    taken.refresh_from_db()
    assert taken.assigned_to != caller


def test_it_deals_a_call_list_round_robin_to_a_team(db):
    team = TeamFactory(name="311")
    a = UserFactory(role=Role.OUTREACH_WORKER, team=team)
    b = UserFactory(role=Role.OUTREACH_WORKER, team=team)
    UserFactory(role=Role.ANALYST, team=team)  # cannot call
    calls = make_list(running_campaign(), "phone")
    targets = [make_call(calls, i) for i in range(5)]
    callers = list(selectors.callers_for(team=team))
    assert set(callers) == {a, b}
    counts = services.call_assign_round_robin(target_list=calls, callers=callers)
    assert sorted(counts.values()) == [2, 3]
    owners = [Target.objects.get(pk=t.pk).assigned_to for t in targets]
    assert owners[0] != owners[1] and owners[0] == owners[2] == owners[4]


def test_it_refuses_to_assign_a_door_list_or_a_non_caller(db):
    campaign = running_campaign()
    with pytest.raises(ValidationError):
        services.call_assign_next(target_list=make_list(campaign), caller=UserFactory(), count=1)
    calls = make_list(campaign, "phone")
    make_call(calls, 1)
    with pytest.raises(ValidationError):
        services.call_assign_next(target_list=calls, caller=UserFactory(role=Role.ANALYST), count=1)
    with pytest.raises(ValidationError):
        services.call_assign_next(target_list=calls, caller=UserFactory(), count=0)
    assert not Target.objects.filter(assigned_to__isnull=False).exists()


def test_it_serves_the_caller_callbacks_first_then_the_next_due_resident(worker):
    calls = make_list(running_campaign(), "phone")
    first = make_call(calls, 1, caller=worker)
    second = make_call(calls, 2, caller=worker)
    now = timezone.now()
    assert canvass.call_next(user=worker, target_list=calls, now=now).target == first
    knock(first, worker, Outcome.NO_ANSWER, now - dt.timedelta(minutes=1))
    assert canvass.call_next(user=worker, target_list=calls, now=now).target == second
    knock(
        second,
        worker,
        Outcome.CALL_BACK,
        now - dt.timedelta(minutes=1),
        callback_at=now + dt.timedelta(hours=1),
    )
    assert canvass.call_next(user=worker, target_list=calls, now=now) is None
    later = now + dt.timedelta(hours=2)
    assert canvass.call_next(user=worker, target_list=calls, now=later).target == second
    assert canvass.call_next(user=UserFactory(), target_list=calls, now=later) is None
