"""Turf cutting (the algorithm and the service), walking routes and assignment."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from porchlight.outreach.field.targets import target_list_build
from porchlight.outreach.field.turfs import (
    _route,
    project,
    turf_assign,
    turf_cut,
    turfs_auto_assign,
    turfs_plan,
)
from porchlight.outreach.models import Target, TargetList, Turf
from porchlight.places.models import Address, Building
from porchlight.testing.factories import CampaignFactory, PhoneFactory, ResidentFactory, UserFactory


def city(n: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lon = -80.84 + rng.normal(0, 0.03, n)
    lat = 35.22 + rng.normal(0, 0.03, n)
    groups = np.arange(n)
    # Ten 8-unit buildings: same point, same group.
    for b in range(10):
        members = np.arange(b * 8, b * 8 + 8)
        groups[members] = b * 8
        lon[members], lat[members] = lon[b * 8], lat[b * 8]
    return lon, lat, groups


def test_it_balances_turfs_within_ten_percent():
    lon, lat, groups = city(5000)
    plan = turfs_plan(lon=lon, lat=lat, groups=groups, size=50)
    counts = np.bincount(plan.labels)
    assert plan.n_turfs == 100
    assert counts.sum() == 5000
    assert counts.min() >= 45 and counts.max() <= 55


def test_it_keeps_the_units_of_a_building_together_and_consecutive():
    lon, lat, groups = city(2000)
    plan = turfs_plan(lon=lon, lat=lat, groups=groups, size=40)
    for b in range(10):
        members = np.flatnonzero(groups == b * 8)
        assert len(set(plan.labels[members].tolist())) == 1
        positions = np.sort(plan.order[members])
        assert (np.diff(positions) == 1).all()
        assert (plan.order[members] == positions).all()  # in the order given (unit order)


def test_it_orders_each_turf_as_a_permutation():
    lon, lat, groups = city(1000)
    plan = turfs_plan(lon=lon, lat=lat, groups=groups, size=50)
    for t in range(plan.n_turfs):
        order = np.sort(plan.order[plan.labels == t])
        assert (order == np.arange(len(order))).all()


def test_it_cuts_compact_turfs():
    """Turfs from bisection are much tighter than arbitrary groups of the same size."""
    lon, lat, groups = city(4000)
    plan = turfs_plan(lon=lon, lat=lat, groups=groups, size=50, route=False)
    x, y, *_ = project(lon, lat)

    def mean_radius(labels: np.ndarray) -> float:
        return float(
            np.mean(
                [
                    np.hypot(
                        x[labels == t] - x[labels == t].mean(), y[labels == t] - y[labels == t].mean()
                    ).mean()
                    for t in range(labels.max() + 1)
                ]
            )
        )

    arbitrary = np.random.default_rng(0).permutation(np.arange(4000) // 50)
    assert mean_radius(plan.labels) < 0.25 * mean_radius(arbitrary)


def test_it_routes_better_than_a_random_walk():
    rng = np.random.default_rng(5)
    x, y = rng.uniform(0, 500, 60), rng.uniform(0, 500, 60)
    route = _route(x, y)
    assert sorted(route.tolist()) == list(range(60))

    def length(order: np.ndarray) -> float:
        return float(np.hypot(np.diff(x[order]), np.diff(y[order])).sum())

    assert length(route) < 0.5 * length(rng.permutation(60))


def test_it_puts_doors_without_coordinates_aside():
    lon, lat, groups = city(120)
    lon[:7] = np.nan
    plan = turfs_plan(lon=lon, lat=lat, groups=groups, size=50)
    assert (plan.labels[:7] == -1).all()
    assert (plan.labels[7:] >= 0).all()


# --- the service --------------------------------------------------------------------------------------------


@pytest.fixture
def manager(personas):
    return personas["program_manager"]


@pytest.fixture
def door_list(manager):
    lon, lat, _groups = city(200, seed=9)
    tower = Building.objects.create(
        street="1 Main St",
        city="Charlotte",
        state="NC",
        zip_code="28202",
        building_type=Building.Type.MULTI_FAMILY,
        unit_count=12,
    )
    addresses = [
        Address(street=f"{i} Elm St", city="Charlotte", zip_code="28202", latitude=lat[i], longitude=lon[i])
        for i in range(188)
    ]
    addresses += [
        Address(
            street="1 Main St",
            unit=f"{u}",
            city="Charlotte",
            zip_code="28202",
            building=tower,
            latitude=35.22,
            longitude=-80.84,
        )
        for u in range(1, 13)
    ]
    addresses += [Address(street=f"{i} Nowhere Rd", city="Charlotte", zip_code="28202") for i in range(5)]
    Address.objects.bulk_create(addresses)
    return target_list_build(campaign=CampaignFactory(), name="Doors", kind="door", actor=manager)


def test_it_cuts_a_door_list_into_turfs_with_outlines(door_list, manager):
    result = turf_cut(target_list=door_list, size=50, actor=manager)

    located = [t for t in result.turfs if t.outline]
    assert len(located) == 4
    assert result.unlocated == 5
    assert [t.name for t in result.turfs if not t.outline] == ["No location 1"]
    assert sum(t.door_count for t in located) == 200
    assert all(45 <= t.door_count <= 55 for t in located)
    assert located[0].outline["type"] == "Polygon"
    tower_turfs = set(
        Target.objects.filter(target_list=door_list, address__building__isnull=False).values_list(
            "turf", flat=True
        )
    )
    assert len(tower_turfs) == 1
    for turf in result.turfs:
        seqs = sorted(turf.targets.values_list("sequence", flat=True))
        assert seqs == list(range(turf.door_count))
    tower_seq = sorted(
        Target.objects.filter(target_list=door_list, address__building__isnull=False).values_list(
            "address__unit", "sequence"
        ),
        key=lambda r: int(r[0]),
    )
    assert [s for _u, s in tower_seq] == list(range(tower_seq[0][1], tower_seq[0][1] + 12))


def test_it_replaces_the_turfs_when_cut_again(door_list, manager):
    turf_cut(target_list=door_list, size=50, actor=manager)
    turf_cut(target_list=door_list, size=100, actor=manager)
    assert Turf.objects.filter(target_list=door_list, outline__isnull=False).count() == 2
    assert not Target.objects.filter(target_list=door_list, turf__isnull=True).exists()


@pytest.mark.parametrize("size", [0, -5, 4, 501, 10**9])
def test_it_refuses_a_bad_size_and_keeps_the_old_turfs(door_list, manager, size):
    turf_cut(target_list=door_list, size=50, actor=manager)
    before = list(Turf.objects.filter(target_list=door_list).values_list("pk", flat=True))
    with pytest.raises(ValidationError):
        turf_cut(target_list=door_list, size=size, actor=manager)
    assert list(Turf.objects.filter(target_list=door_list).values_list("pk", flat=True)) == before


def test_it_refuses_phone_lists_empty_lists_and_non_managers(manager, personas):
    PhoneFactory()
    phones = target_list_build(campaign=CampaignFactory(), name="Calls", kind="phone", actor=manager)
    with pytest.raises(ValidationError, match="phone list"):
        turf_cut(target_list=phones, size=50, actor=manager)
    empty = TargetList.objects.create(campaign=phones.campaign, name="Empty", kind="door", created_by=manager)
    with pytest.raises(ValidationError, match="no doors"):
        turf_cut(target_list=empty, size=50, actor=manager)
    with pytest.raises(PermissionDenied):
        turf_cut(target_list=empty, size=50, actor=personas["outreach_worker"])
    assert not Turf.objects.exists()


def test_it_assigns_and_reassigns_a_turf(door_list, manager, personas):
    turf = turf_cut(target_list=door_list, size=50, actor=manager).turfs[0]
    worker = personas["outreach_worker"]
    turf_assign(turf=turf, user=worker, actor=manager)
    turf.refresh_from_db()
    assert turf.assigned_to == worker and turf.assigned_team == worker.team
    other = UserFactory(username="other")
    turf_assign(turf=turf, user=other, actor=manager)
    turf.refresh_from_db()
    assert turf.assigned_to == other
    with pytest.raises(ValidationError):
        turf_assign(turf=turf, user=personas["analyst"], actor=manager)
    with pytest.raises(PermissionDenied):
        turf_assign(turf=turf, user=worker, actor=worker)


def test_it_auto_assigns_by_language_and_balances(door_list, manager):
    turfs = turf_cut(target_list=door_list, size=50, actor=manager).turfs
    spanish_turf = turfs[2]
    door = Target.objects.filter(turf=spanish_turf).first().address
    ResidentFactory(address=door, preferred_language="es")
    english = [UserFactory(username=f"en{i}", languages=["en"]) for i in range(2)]
    bilingual = UserFactory(username="bilingual", languages=["en", "es"])

    chosen = turfs_auto_assign(target_list=door_list, workers=[*english, bilingual], actor=manager)

    assert chosen[spanish_turf.pk] == bilingual
    loads = [sum(1 for w in chosen.values() if w == u) for u in [*english, bilingual]]
    assert sorted(loads) == [1, 2, 2]  # 5 turfs over 3 workers
    assert Turf.objects.filter(target_list=door_list, assigned_to__isnull=True).count() == 0
