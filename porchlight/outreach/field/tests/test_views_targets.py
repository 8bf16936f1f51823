"""Planning pages: permissions for every persona, building a list, cutting, the map data and assignment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from porchlight.outreach.field.targets import target_list_build
from porchlight.outreach.field.turfs import turf_cut
from porchlight.outreach.models import Target, TargetList, Turf
from porchlight.places.models import Address
from porchlight.testing.factories import AddressFactory, CampaignFactory, PhoneFactory, ResidentFactory

ALLOWED = {"administrator", "program_manager"}


@pytest.fixture
def door_list(personas):
    Address.objects.bulk_create(
        Address(
            street=f"{i} Oak St",
            city="Charlotte",
            zip_code="28205",
            latitude=35.2 + (i % 10) * 0.001,
            longitude=-80.8 + (i // 10) * 0.001,
        )
        for i in range(100)
    )
    AddressFactory(do_not_contact=True)
    return target_list_build(
        campaign=CampaignFactory(name="Tenants"),
        name="Oak St",
        kind="door",
        actor=personas["program_manager"],
    )


def pages(tl: TargetList, turf: Turf) -> list[tuple[str, str]]:
    return [
        ("get", reverse("outreach:targetlist_list")),
        ("get", reverse("outreach:targetlist_new")),
        ("get", reverse("outreach:targetlist_detail", args=[tl.pk])),
        ("get", reverse("outreach:targetlist_geojson", args=[tl.pk])),
        ("post", reverse("outreach:turf_assign", args=[turf.pk])),
        ("post", reverse("outreach:turfs_auto_assign", args=[tl.pk])),
        ("post", reverse("outreach:targetlist_cut", args=[tl.pk])),  # last: a re-cut replaces the turfs
    ]


@pytest.mark.parametrize(
    "persona", ["administrator", "program_manager", "outreach_worker", "case_manager", "analyst", "partner"]
)
def test_it_lets_only_managers_and_admins_plan(client, personas, door_list, persona):
    turf = turf_cut(target_list=door_list, size=50, actor=personas["program_manager"]).turfs[0]
    client.force_login(personas[persona])
    for method, url in pages(door_list, turf):
        response = getattr(client, method)(url, {"size": "50"} if method == "post" else None)
        if persona in ALLOWED:
            assert response.status_code in (200, 302, 400), (url, response.status_code)
        else:
            assert response.status_code == 403, url


def test_it_sends_anonymous_visitors_to_sign_in(client, door_list, personas):
    turf = turf_cut(target_list=door_list, size=50, actor=personas["program_manager"]).turfs[0]
    for method, url in pages(door_list, turf):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    assert Turf.objects.get(pk=turf.pk).assigned_to is None


def test_it_builds_a_list_from_the_form_and_shows_the_exclusions(client, personas):
    campaign = CampaignFactory(name="Parks")
    AddressFactory()
    AddressFactory(do_not_contact=True)
    client.force_login(personas["program_manager"])
    response = client.post(
        reverse("outreach:targetlist_new"),
        {
            "campaign": campaign.pk,
            "name": "Everyone",
            "kind": "door",
            "rent_regulated": "",
            "languages": [],
            "building_types": [],
        },
    )
    assert response.status_code == 302
    assert TargetList.objects.get(name="Everyone").targets.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "1 included" in page
    assert "Excluded: 1 do-not-contact." in page


def test_it_shows_form_errors_without_building_anything(client, personas):
    client.force_login(personas["program_manager"])
    response = client.post(reverse("outreach:targetlist_new"), {"name": "", "kind": "mail"})
    assert response.status_code == 200
    assert "Please correct the errors below." in response.content.decode()
    assert not TargetList.objects.exists()


@pytest.mark.parametrize("size", ["0", "-3", "100000", "abc"])
def test_it_refuses_a_bad_turf_size(client, personas, door_list, size):
    client.force_login(personas["program_manager"])
    response = client.post(reverse("outreach:targetlist_cut", args=[door_list.pk]), {"size": size})
    assert response.status_code == 400
    assert not Turf.objects.exists()


def test_it_explains_that_a_phone_list_is_not_cut(client, personas):
    PhoneFactory(resident=ResidentFactory())
    phones = target_list_build(
        campaign=CampaignFactory(), name="Calls", kind="phone", actor=personas["program_manager"]
    )
    client.force_login(personas["program_manager"])
    response = client.post(reverse("outreach:targetlist_cut", args=[phones.pk]), {"size": "50"})
    assert response.status_code == 400
    assert "phone list" in response.content.decode()
    assert not Turf.objects.exists()


def test_it_cuts_maps_and_assigns_through_htmx(client, personas, door_list):
    manager, worker = personas["program_manager"], personas["outreach_worker"]
    client.force_login(manager)
    response = client.post(reverse("outreach:targetlist_cut", args=[door_list.pk]), {"size": "50"})
    assert response.status_code == 302
    assert Turf.objects.filter(target_list=door_list).count() == 2
    page = client.get(reverse("outreach:targetlist_detail", args=[door_list.pk])).content.decode()
    assert "Turf 1" in page and "data-turf-geojson" in page

    geo = client.get(reverse("outreach:targetlist_geojson", args=[door_list.pk])).json()
    kinds = [f["geometry"]["type"] for f in geo["features"]]
    assert kinds.count("Polygon") == 2 and kinds.count("Point") == 100

    turf = Turf.objects.get(target_list=door_list, number=1)
    response = client.post(
        reverse("outreach:turf_assign", args=[turf.pk]), {"user": worker.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="turf-{turf.pk}"' in response.content.decode()
    turf.refresh_from_db()
    assert turf.assigned_to == worker

    response = client.post(
        reverse("outreach:turfs_auto_assign", args=[door_list.pk]), {"workers": [worker.pk]}
    )
    assert response.status_code == 302
    assert set(Turf.objects.filter(target_list=door_list).values_list("assigned_to", flat=True)) == {
        worker.pk
    }
    assert Target.objects.filter(target_list=door_list, turf__isnull=True).count() == 0
