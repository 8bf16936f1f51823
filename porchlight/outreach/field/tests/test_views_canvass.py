"""The field-work pages: who may open which, what a tap records, what bad input says (views_canvass)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from porchlight.accounts.models import AuditEvent
from porchlight.accounts.roles import Role
from porchlight.outreach.field.tests.test_canvass import (
    make_call,
    make_door,
    make_list,
    make_turf,
    running_campaign,
)
from porchlight.outreach.models import Attempt, Conversation, Outcome, Script, Target
from porchlight.testing.factories import ResidentFactory, TopicFactory, UserFactory


@pytest.fixture
def world(personas):
    """A running campaign with a door turf for the outreach worker, another worker's turf, and a call list."""
    campaign = running_campaign(languages=["en", "es"])
    campaign.topics.set([TopicFactory(name="Parks")])
    Script.objects.create(campaign=campaign, language="en", body="Hello, I'm with the city.")
    Script.objects.create(campaign=campaign, language="es", body="Hola, soy de la ciudad.")
    worker = personas[Role.OUTREACH_WORKER]
    other = UserFactory(username="other-worker", role=Role.OUTREACH_WORKER)
    doors = make_list(campaign, creator=personas[Role.PROGRAM_MANAGER])
    mine = make_turf(doors, user=worker)
    theirs = make_turf(doors, user=other)
    door = make_door(mine, 1, "es", street="12 Elm St")
    make_door(mine, 2, "en", street="14 Elm St", do_not_contact=True)
    their_door = make_door(theirs, 1, "en", street="90 Oak St")
    calls = make_list(campaign, "phone", creator=personas[Role.PROGRAM_MANAGER])
    call = make_call(calls, 1, caller=worker, preferred_language="es", first_name="Rosa", last_name="Diaz")
    return {
        "campaign": campaign,
        "worker": worker,
        "other": other,
        "mine": mine,
        "theirs": theirs,
        "door": door,
        "their_door": their_door,
        "calls": calls,
        "call": call,
    }


def login(client, user):
    client.force_login(user)
    return client


def tap(client, target: Target, outcome: str, **extra: str):
    data = {"target": target.pk, "client_id": str(uuid.uuid4()), "outcome": outcome, **extra}
    return client.post(reverse("outreach:attempt_new"), data)


# ---- permissions, persona by persona ------


def test_it_sends_anonymous_visitors_to_the_login_page(client, world):
    urls = [
        reverse("outreach:my_queue"),
        reverse("outreach:walk_list", args=[world["mine"].pk]),
        reverse("outreach:walk_sheet", args=[world["mine"].pk]),
        reverse("outreach:call_lists"),
        reverse("outreach:call_screen", args=[world["calls"].pk]),
        reverse("outreach:call_assign", args=[world["calls"].pk]),
        reverse("outreach:script_edit", args=[world["campaign"].pk]),
        reverse("outreach:inbound_call"),
        reverse("outreach:canvass_conversation"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    response = client.post(reverse("outreach:attempt_new"), {})
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.CASE_MANAGER])
def test_it_forbids_roles_that_do_not_work_the_lists(client, world, personas, role):
    login(client, personas[role])
    for url in [
        reverse("outreach:my_queue"),
        reverse("outreach:walk_list", args=[world["mine"].pk]),
        reverse("outreach:walk_sheet", args=[world["mine"].pk]),
        reverse("outreach:call_screen", args=[world["calls"].pk]),
        reverse("outreach:call_assign", args=[world["calls"].pk]),
        reverse("outreach:script_edit", args=[world["campaign"].pk]),
        reverse("outreach:inbound_call"),
    ]:
        assert client.get(url).status_code == 403, url
    assert tap(client, world["door"], Outcome.NOT_HOME).status_code == 403
    assert not Attempt.objects.exists()


def test_it_shows_the_worker_their_own_turf_and_hides_another_workers(client, world):
    login(client, world["worker"])
    assert client.get(reverse("outreach:walk_list", args=[world["mine"].pk])).status_code == 200
    assert client.get(reverse("outreach:walk_list", args=[world["theirs"].pk])).status_code == 404
    assert client.get(reverse("outreach:walk_sheet", args=[world["theirs"].pk])).status_code == 404
    assert tap(client, world["their_door"], Outcome.NOT_HOME).status_code == 404
    assert not Attempt.objects.exists()


def test_it_shows_a_team_turf_to_every_member_of_the_team(client, world, personas, city_team):
    turf = make_turf(world["mine"].target_list, team=city_team)
    login(client, personas[Role.OUTREACH_WORKER])
    assert client.get(reverse("outreach:walk_list", args=[turf.pk])).status_code == 200
    login(client, world["other"])
    assert client.get(reverse("outreach:walk_list", args=[turf.pk])).status_code == 404


def test_it_lets_only_program_managers_assign_callers_and_edit_scripts(client, world, personas):
    login(client, world["worker"])
    assert client.get(reverse("outreach:call_assign", args=[world["calls"].pk])).status_code == 403
    assert client.get(reverse("outreach:script_edit", args=[world["campaign"].pk])).status_code == 403
    login(client, personas[Role.PROGRAM_MANAGER])
    assert client.get(reverse("outreach:call_assign", args=[world["calls"].pk])).status_code == 200
    assert client.get(reverse("outreach:script_edit", args=[world["campaign"].pk])).status_code == 200
    # A door list is not a call list.
    assert client.get(reverse("outreach:call_assign", args=[world["mine"].target_list.pk])).status_code == 404


def test_it_hides_a_call_list_from_a_caller_with_nobody_on_it(client, world):
    login(client, world["other"])
    assert client.get(reverse("outreach:call_screen", args=[world["calls"].pk])).status_code == 404
    login(client, world["worker"])
    url = reverse("outreach:call_screen", args=[world["calls"].pk])
    assert client.get(url + f"?target={world['door'].pk}").status_code == 404


# ---- the walk list ------


def test_it_shows_doors_residents_scripts_and_do_not_contact(client, world):
    login(client, world["worker"])
    response = client.get(reverse("outreach:walk_list", args=[world["mine"].pk]))
    page = response.content.decode()
    assert page.index("12 Elm St") < page.index("14 Elm St")
    assert "Hola, soy de la ciudad." in page  # the Spanish speaker's script
    assert "Do not contact" in page
    assert page.count('name="outcome" value="not_home"') == 1  # no buttons at the do-not-contact door
    assert AuditEvent.objects.filter(action="view", object_type="outreach.turf").count() == 1


def test_it_records_a_tap_once_even_when_sent_twice(client, world):
    login(client, world["worker"])
    data = {"target": world["door"].pk, "client_id": str(uuid.uuid4()), "outcome": Outcome.NOT_HOME}
    first = client.post(reverse("outreach:attempt_new"), data)
    second = client.post(reverse("outreach:attempt_new"), data, follow=True)
    assert first.status_code == 302
    assert first["Location"].endswith(f"#door-{world['door'].pk}")
    assert Attempt.objects.count() == 1
    assert "already recorded" in second.content.decode()
    attempt = Attempt.objects.get()
    assert (attempt.made_by, attempt.channel, attempt.target) == (world["worker"], "door", world["door"])


def test_it_records_a_call_back_with_its_time(client, world):
    login(client, world["worker"])
    when = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    tap(client, world["door"], Outcome.CALL_BACK, callback_at=when)
    assert Attempt.objects.get().callback_at is not None


@pytest.mark.parametrize(
    ("outcome", "extra", "message"),
    [
        ("shrugged", {}, "Select a valid choice"),
        (Outcome.CALL_BACK, {}, "Say when to call or come back."),
        (Outcome.NOT_HOME, {"made_at": "2099-01-01T10:00"}, "An attempt cannot be in the future."),
        (
            Outcome.CALL_BACK,
            {"callback_at": "2001-01-01T10:00"},
            "The call-back time must be after the attempt.",
        ),
        (Outcome.NO_ANSWER, {}, "does not fit"),
    ],
)
def test_it_explains_bad_input_and_writes_nothing(client, world, outcome, extra, message):
    login(client, world["worker"])
    response = tap(client, world["door"], outcome, **extra)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert message in page
    assert not Attempt.objects.exists()


def test_it_refuses_a_tap_at_a_do_not_contact_door(client, world):
    login(client, world["worker"])
    dnc = Target.objects.get(address__street="14 Elm St")
    response = tap(client, dnc, Outcome.NOT_HOME)
    assert "This door asked not to be contacted." in client.get(response["Location"]).content.decode()
    assert not Attempt.objects.exists()


def test_it_refuses_a_tap_without_a_client_id(client, world):
    login(client, world["worker"])
    client.post(reverse("outreach:attempt_new"), {"target": world["door"].pk, "outcome": Outcome.NOT_HOME})
    assert not Attempt.objects.exists()


def test_it_never_redirects_to_another_site_after_a_tap(client, world):
    login(client, world["worker"])
    response = tap(client, world["door"], Outcome.NOT_HOME, next="https://evil.example/")
    assert response["Location"].startswith("/")


# ---- conversation hand-off and 311 ------


def conversation_post(campaign, resident_id: int | None, channel: str = "door") -> dict:
    return {
        "client_id": str(uuid.uuid4()),
        "campaign": campaign.pk,
        "channel": channel,
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "who": "existing" if resident_id else "anonymous",
        "resident": resident_id or "",
        "language": "es",
        "duration_minutes": 10,
        "notes": "Wants a crosswalk.",
    }


def test_it_prefills_the_conversation_form_from_a_door(client, world):
    login(client, world["worker"])
    resident = world["door"].address.residents.get()
    url = reverse("outreach:canvass_conversation")
    response = client.get(f"{url}?target={world['door'].pk}&attempt={uuid.uuid4()}&resident={resident.pk}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["resident"] == resident.pk
    assert form.initial["campaign"] == world["campaign"].pk
    assert form.initial["channel"] == "door"


def test_it_records_the_conversation_attempt_when_the_conversation_is_saved(client, world):
    login(client, world["worker"])
    resident = world["door"].address.residents.get()
    attempt_id = uuid.uuid4()
    url = f"{reverse('outreach:canvass_conversation')}?target={world['door'].pk}&attempt={attempt_id}"
    data = conversation_post(world["campaign"], resident.pk)
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("outreach:walk_list", args=[world["mine"].pk]))
    client.post(url, data)  # a resubmission adds nothing
    conversation = Conversation.objects.get()
    attempt = Attempt.objects.get()
    assert (attempt.client_id, attempt.outcome, attempt.conversation) == (
        attempt_id,
        Outcome.CONVERSATION,
        conversation,
    )
    assert conversation.resident == resident


def test_it_records_no_attempt_when_the_conversation_form_has_errors(client, world):
    login(client, world["worker"])
    url = f"{reverse('outreach:canvass_conversation')}?target={world['door'].pk}&attempt={uuid.uuid4()}"
    data = {**conversation_post(world["campaign"], None), "held_at": "2099-01-01T10:00"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Conversation.objects.exists() and not Attempt.objects.exists()


def test_it_refuses_the_hand_off_for_another_workers_door(client, world):
    login(client, world["worker"])
    url = f"{reverse('outreach:canvass_conversation')}?target={world['their_door'].pk}&attempt={uuid.uuid4()}"
    assert client.get(url).status_code == 404
    assert client.post(url, conversation_post(world["campaign"], None)).status_code == 404
    assert not Conversation.objects.exists()


def test_it_opens_the_inbound_311_mode_with_the_phone_channel(client, world):
    login(client, world["worker"])
    response = client.get(reverse("outreach:inbound_call"))
    assert response.status_code == 200
    assert response.context["form"].initial["channel"] == "phone"
    assert "Incoming 311 call" in response.content.decode()
    data = conversation_post(world["campaign"], None, channel="phone")
    response = client.post(reverse("outreach:inbound_call"), data)
    assert response.status_code == 302
    assert Conversation.objects.get().channel == "phone"
    assert not Attempt.objects.exists()


# ---- calls ------


def test_it_shows_the_caller_one_resident_with_script_phone_and_history(client, world):
    login(client, world["worker"])
    url = reverse("outreach:call_screen", args=[world["calls"].pk])
    page = client.get(url).content.decode()
    assert "Rosa Diaz" in page
    assert 'href="tel:+1' in page
    assert "Hola, soy de la ciudad." in page
    assert AuditEvent.objects.filter(action="view", object_type="people.resident").exists()
    response = tap(client, world["call"], Outcome.NO_ANSWER, next=url)
    assert response["Location"] == url
    assert "Nobody on this list is due a call" in client.get(url).content.decode()


def test_it_assigns_callers_from_the_assignment_page(client, world, personas, city_team):
    calls = world["calls"]
    for i in range(2, 6):
        make_call(calls, i)
    login(client, personas[Role.PROGRAM_MANAGER])
    url = reverse("outreach:call_assign", args=[calls.pk])
    response = client.post(url, {"how": "next", "caller": world["other"].pk, "count": 2})
    assert response.status_code == 302
    assert Target.objects.filter(target_list=calls, assigned_to=world["other"]).count() == 2
    response = client.post(url, {"how": "team", "team": city_team.pk})
    assert response.status_code == 302
    assert not Target.objects.filter(target_list=calls, assigned_to__isnull=True).exists()
    bad = client.post(url, {"how": "next", "caller": personas[Role.ANALYST].pk, "count": 2})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()


# ---- scripts and the queue ------


def test_it_saves_scripts_per_campaign_language(client, world, personas):
    login(client, personas[Role.PROGRAM_MANAGER])
    url = reverse("outreach:script_edit", args=[world["campaign"].pk])
    page = client.get(url).content.decode()
    assert 'name="script_en"' in page and 'name="script_es"' in page
    client.post(url, {"script_en": "Good evening.", "script_es": ""})
    assert list(world["campaign"].scripts.values_list("language", "body")) == [("en", "Good evening.")]


def test_it_lists_the_workers_queue_with_callbacks_first(client, world):
    login(client, world["worker"])
    past = timezone.now() - dt.timedelta(hours=1)
    Attempt.objects.create(
        campaign=world["campaign"],
        target=world["call"],
        channel="phone",
        outcome=Outcome.CALL_BACK,
        callback_at=past,
        made_by=world["worker"],
        made_at=past - dt.timedelta(hours=1),
    )
    page = client.get(reverse("outreach:my_queue")).content.decode()
    assert page.index("Rosa Diaz") < page.index("12 Elm St")
    assert "14 Elm St" not in page  # do not contact


def test_it_explains_why_a_conversation_at_a_door_is_refused_and_saves_nothing(client, world):
    login(client, world["worker"])
    stranger = ResidentFactory(first_name="Zed")
    url = f"{reverse('outreach:canvass_conversation')}?target={world['door'].pk}&attempt={uuid.uuid4()}"
    response = client.post(url, conversation_post(world["campaign"], stranger.pk))
    assert response.status_code == 200
    assert "Not a resident of that door." in response.context["form"].non_field_errors()
    assert not Conversation.objects.exists() and not Attempt.objects.exists()


def test_it_warns_when_a_teammate_already_finished_the_door(client, world):
    teammate = UserFactory(role=Role.OUTREACH_WORKER, first_name="Sam", last_name="Oh")
    Attempt.objects.create(
        campaign=world["campaign"],
        target=world["door"],
        channel="door",
        outcome=Outcome.REFUSED,
        made_by=teammate,
        made_at=timezone.now() - dt.timedelta(hours=2),
    )
    login(client, world["worker"])
    page = client.get(tap(client, world["door"], Outcome.NOT_HOME)["Location"]).content.decode()
    assert "Door already completed by Sam Oh" in page
    assert world["door"].attempts.count() == 2
