"""target_list_build: who is on a door or phone list, and who was held out and why."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from porchlight.outreach.field.targets import exclusion_labels, target_list_build
from porchlight.outreach.models import Attempt, Outcome, Target, TargetList
from porchlight.places.models import Building
from porchlight.testing.factories import (
    AddressFactory,
    AreaFactory,
    CampaignFactory,
    ConversationFactory,
    PhoneFactory,
    ResidentFactory,
)


@pytest.fixture
def manager(personas):
    return personas["program_manager"]


@pytest.fixture
def campaign(db):
    return CampaignFactory(name="Tenant rights")


def doors(target_list: TargetList) -> set[int]:
    return set(Target.objects.filter(target_list=target_list).values_list("address_id", flat=True))


def residents(target_list: TargetList) -> set[int]:
    return set(Target.objects.filter(target_list=target_list).values_list("resident_id", flat=True))


def build(campaign, manager, kind="door", **kw):
    return target_list_build(campaign=campaign, name=kw.pop("name", "List"), kind=kind, actor=manager, **kw)


def test_it_lists_every_door_once_and_holds_out_do_not_contact_doors(campaign, manager):
    plain = AddressFactory()
    flagged = AddressFactory(do_not_contact=True)
    everyone_asked = AddressFactory()
    ResidentFactory(address=everyone_asked, do_not_contact=True)
    ResidentFactory(address=everyone_asked, do_not_contact=True)
    one_asked = AddressFactory()
    ResidentFactory(address=one_asked, do_not_contact=True)
    ResidentFactory(address=one_asked)
    ResidentFactory(address=one_asked)  # two residents: still one door

    tl = build(campaign, manager)

    assert doors(tl) == {plain.pk, one_asked.pk}
    assert Target.objects.filter(target_list=tl).count() == 2
    assert tl.excluded["do_not_contact"] == 2
    assert flagged.pk not in doors(tl)


def test_it_holds_out_anyone_contacted_by_any_campaign_in_the_cooldown(campaign, manager, settings):
    settings.CONTACT_COOLDOWN_DAYS = 14
    other_campaign = CampaignFactory(name="Parks")
    talked = ResidentFactory()
    ConversationFactory(
        campaign=other_campaign, resident=talked, held_at=timezone.now() - dt.timedelta(days=3)
    )
    knocked = AddressFactory()
    Attempt.objects.create(
        campaign=other_campaign,
        address=knocked,
        channel="door",
        outcome=Outcome.NOT_HOME,
        made_by=manager,
        made_at=timezone.now() - dt.timedelta(days=13),
        client_id=uuid.uuid4(),
    )
    long_ago = ResidentFactory()
    ConversationFactory(
        campaign=other_campaign, resident=long_ago, held_at=timezone.now() - dt.timedelta(days=20)
    )

    tl = build(campaign, manager)

    assert doors(tl) == {long_ago.address_id}
    assert tl.excluded["recently_contacted"] == 2
    assert ("recently_contacted", 2, "contacted in the last 14 days") in exclusion_labels(tl)


def test_it_counts_each_held_out_door_once_under_the_first_reason(campaign, manager):
    resident = ResidentFactory(do_not_contact=True)
    ConversationFactory(resident=resident, held_at=timezone.now() - dt.timedelta(days=1))

    tl = build(campaign, manager)

    assert tl.excluded == {"do_not_contact": 1, "recently_contacted": 0}
    assert doors(tl) == set()


def test_it_skips_doors_already_reached_in_this_campaign_only_when_asked(campaign, manager):
    reached = ResidentFactory()
    ConversationFactory(campaign=campaign, resident=reached, held_at=timezone.now() - dt.timedelta(days=60))
    other = AddressFactory()

    assert doors(build(campaign, manager, name="All")) == {reached.address_id, other.pk}
    tl = build(campaign, manager, name="Not reached", not_reached_in_campaign=True)
    assert doors(tl) == {other.pk}
    assert tl.excluded["reached_in_campaign"] == 1


def test_it_filters_by_area_building_and_language(campaign, manager):
    area = AreaFactory()
    tower = Building.objects.create(
        street="1 Main St",
        city="Charlotte",
        state="NC",
        zip_code="28202",
        building_type=Building.Type.MULTI_FAMILY,
        unit_count=40,
        rent_regulated=True,
    )
    in_tower = AddressFactory(building=tower, unit="1A")
    in_tower.areas.add(area)
    house = AddressFactory()
    house.areas.add(area)
    ResidentFactory(address=house, preferred_language="es")
    outside = AddressFactory()
    ResidentFactory(address=outside, preferred_language="es")

    assert doors(build(campaign, manager, name="a", areas=[area])) == {in_tower.pk, house.pk}
    assert doors(build(campaign, manager, name="b", areas=[area], rent_regulated=True)) == {in_tower.pk}
    assert doors(build(campaign, manager, name="c", building_types=["multi_family"], min_units=41)) == set()
    assert doors(build(campaign, manager, name="d", languages=["es"])) == {house.pk, outside.pk}
    assert doors(build(campaign, manager, name="e", areas=[area.pk], languages=["es"])) == {house.pk}


def test_it_builds_a_phone_list_of_consenting_residents_with_phones(campaign, manager):
    ok = PhoneFactory().resident
    PhoneFactory(resident=ResidentFactory(consent_to_contact=False))
    ResidentFactory()  # no phone
    PhoneFactory(resident=ResidentFactory(do_not_contact=True))
    PhoneFactory(resident=ResidentFactory(address=AddressFactory(do_not_contact=True)))
    called = PhoneFactory().resident
    ConversationFactory(resident=called, held_at=timezone.now() - dt.timedelta(days=2))

    tl = build(campaign, manager, kind="phone")

    assert residents(tl) == {ok.pk}
    assert tl.excluded == {"do_not_contact": 2, "no_consent": 1, "no_phone": 1, "recently_contacted": 1}


def test_it_honours_the_last_contact_filter_beyond_the_cooldown(campaign, manager, settings):
    settings.CONTACT_COOLDOWN_DAYS = 14
    resident = ResidentFactory()
    ConversationFactory(resident=resident, held_at=timezone.now() - dt.timedelta(days=40))
    AddressFactory()

    tl = build(campaign, manager, last_contact_older_than_days=60)

    assert resident.address_id not in doors(tl)
    assert tl.excluded["contacted_since"] == 1


def test_it_refuses_bad_input_and_writes_nothing(campaign, manager, personas):
    AddressFactory()
    build(campaign, manager, name="Taken")
    with pytest.raises(ValidationError) as err:
        build(campaign, manager, name="Taken")
    assert "name" in err.value.message_dict
    for bad in (
        {"kind": "mail"},
        {"languages": ["xx"]},
        {"min_units": 0},
        {"last_contact_older_than_days": 0},
    ):
        with pytest.raises(ValidationError):
            build(campaign, manager, name="New", **bad)
    with pytest.raises(PermissionDenied):
        build(campaign, personas["outreach_worker"], name="New")
    assert TargetList.objects.count() == 1
    assert Target.objects.count() == 1
