"""factory_boy factories that keep related objects consistent. Shared by every app's tests."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import factory
from django.utils import timezone

from porchlight.accounts.models import Team, User
from porchlight.accounts.roles import Role
from porchlight.cases.models import Referral
from porchlight.directory.models import Organization, Program
from porchlight.outreach.models import Campaign, Channel, Conversation, Need, Topic
from porchlight.people.models import Phone, Resident
from porchlight.places.models import Address, Area

PASSWORD = "correct-horse-battery"  # noqa: S105 - the test personas' password


def square(lon: float, lat: float, size: float) -> dict:
    """A GeoJSON square polygon with its south-west corner at (lon, lat)."""
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")
    kind = Team.Kind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.OUTREACH_WORKER
    team = factory.SubFactory(TeamFactory)
    languages = ["en"]
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: Any) -> None:  # noqa: N805 - factory_boy's hook
        if create:
            obj.save()


class AreaFactory(factory.django.DjangoModelFactory):
    """A neighborhood: a 0.01° square near Charlotte, one per sequence number, side by side."""

    class Meta:
        model = Area

    kind = Area.Kind.NEIGHBORHOOD
    code = factory.Sequence(lambda n: str(1000 + n))
    name = factory.LazyAttribute(lambda o: f"Neighborhood {o.code}")
    population = 2000
    population_year = 2020
    geometry = factory.LazyAttribute(lambda o: square(-80.9 + 0.02 * (int(o.code) % 50), 35.2, 0.01))
    min_lon = factory.LazyAttribute(lambda o: o.geometry["coordinates"][0][0][0])
    min_lat = factory.LazyAttribute(lambda o: o.geometry["coordinates"][0][0][1])
    max_lon = factory.LazyAttribute(lambda o: o.geometry["coordinates"][0][2][0])
    max_lat = factory.LazyAttribute(lambda o: o.geometry["coordinates"][0][2][1])


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    street = factory.Sequence(lambda n: f"{100 + n} Tryon St")
    city = "Charlotte"
    state = "NC"
    zip_code = "28202"
    latitude = 35.205
    longitude = -80.895


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    address = factory.SubFactory(AddressFactory)
    preferred_language = "en"
    consent_to_contact = True


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phone

    resident = factory.SubFactory(ResidentFactory)
    number = factory.Sequence(lambda n: f"+1704555{n % 10000:04d}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = factory.Iterator(
        ["Community safety", "Trust", "Accountability", "Affordable housing", "Good-paying jobs"]
    )


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community Letter {n}")
    start_date = dt.date(2017, 1, 1)
    end_date = dt.date(2017, 12, 31)
    languages = ["en", "es"]
    conversation_target = 8000

    @factory.post_generation
    def topics(
        obj: Campaign,  # noqa: N805 - factory_boy's hook
        create: bool,
        extracted: list[Topic] | None,
        **kwargs: Any,
    ) -> None:
        if not create:
            return
        obj.topics.set(extracted if extracted is not None else [TopicFactory() for _ in range(5)])


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    client_id = factory.LazyFunction(uuid.uuid4)
    campaign = factory.SubFactory(CampaignFactory)
    channel = Channel.DOOR
    held_by = factory.SubFactory(UserFactory)
    team = factory.LazyAttribute(lambda o: o.held_by.team)
    held_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    resident = factory.SubFactory(ResidentFactory)
    language = "en"
    notes = "Talked about street lights on the corner."


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organization {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    category = Program.Category.HOUSING


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    conversation = factory.SubFactory(ConversationFactory)
    resident = factory.LazyAttribute(lambda o: o.conversation.resident)
    category = "housing"


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    need = factory.SubFactory(NeedFactory)
    resident = factory.LazyAttribute(lambda o: o.need.resident)
    program = factory.SubFactory(ProgramFactory)
    owner = factory.LazyAttribute(lambda o: o.need.conversation.held_by)
    created_by = factory.LazyAttribute(lambda o: o.need.conversation.held_by)
    consent_given = True
