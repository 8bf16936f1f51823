"""A small, hand-counted city for the insights tests (see the expected numbers in test_selectors.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from porchlight.cases.models import Referral
from porchlight.outreach.models import Campaign, Channel
from porchlight.places.models import Area
from porchlight.testing.factories import (
    AreaFactory,
    CampaignFactory,
    ConversationFactory,
    NeedFactory,
    ReferralFactory,
    ResidentFactory,
    TopicFactory,
    square,
)

TZ = ZoneInfo("America/New_York")


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2017, month, day, 12, 0, tzinfo=TZ)


def area(kind: str, code: str, name: str, lon: float, size: float, population: int | None) -> Area:
    geom = square(lon, 35.15 if kind != Area.Kind.NEIGHBORHOOD else 35.2, size)
    return AreaFactory(kind=kind, code=code, name=name, population=population, geometry=geom)


@dataclass
class City:
    campaign: Campaign
    other_campaign: Campaign
    hood_a: Area
    hood_b: Area
    district_1: Area
    district_2: Area
    residents: list


def small_city() -> City:
    hood_a = area(Area.Kind.NEIGHBORHOOD, "A", "Alpha", -80.9, 0.01, 1000)
    hood_b = area(Area.Kind.NEIGHBORHOOD, "B", "Beta", -80.8, 0.01, 500)
    district_1 = area(Area.Kind.COUNCIL_DISTRICT, "1", "District 1", -80.95, 0.1, 10000)
    district_2 = area(Area.Kind.COUNCIL_DISTRICT, "2", "District 2", -80.82, 0.1, None)
    t1, t2 = TopicFactory(name="Community safety"), TopicFactory(name="Affordable housing")
    campaign = CampaignFactory(name="Community Letter", topics=[t1, t2])
    other = CampaignFactory(
        name="Older campaign", start_date=dt.date(2016, 1, 1), end_date=dt.date(2016, 12, 31)
    )
    r1, r2, r3, r4 = (ResidentFactory(first_name=n, last_name="Zzyzx") for n in ["Ana", "Ben", "Cruz", "Dee"])
    c1 = ConversationFactory(
        campaign=campaign, resident=r1, area=hood_a, channel=Channel.DOOR, held_at=at(3, 6)
    )
    ConversationFactory(campaign=campaign, resident=r1, area=hood_a, channel=Channel.DOOR, held_at=at(3, 8))
    c3 = ConversationFactory(
        campaign=campaign, resident=r2, area=hood_a, channel=Channel.PHONE, language="es", held_at=at(3, 21)
    )
    ConversationFactory(
        campaign=campaign, resident=None, area=hood_b, channel=Channel.DOOR, held_at=at(3, 21)
    )
    ConversationFactory(
        campaign=campaign, resident=None, area=hood_b, channel=Channel.DOOR, held_at=at(3, 22)
    )
    ConversationFactory(campaign=campaign, resident=r4, area=None, channel=Channel.STREET, held_at=at(3, 22))
    c7 = ConversationFactory(
        campaign=campaign, resident=r3, area=hood_b, channel=Channel.EVENT, language="es", held_at=at(5, 1)
    )
    c8 = ConversationFactory(
        campaign=other, resident=r1, area=hood_a, held_at=dt.datetime(2016, 6, 1, tzinfo=TZ)
    )
    c1.topics.set([t1, t2])
    c3.topics.set([t1])
    c8.topics.set([t1])
    need_1 = NeedFactory(conversation=c1, category="housing")
    need_2 = NeedFactory(conversation=c3, category="food")
    NeedFactory(conversation=c3, category="housing")
    need_7 = NeedFactory(conversation=c7, category="legal")
    ReferralFactory(need=need_1, status=Referral.Status.RESOLVED)
    ReferralFactory(need=need_2, status=Referral.Status.SENT)
    ReferralFactory(need=need_7, status=Referral.Status.RESOLVED)
    return City(campaign, other, hood_a, hood_b, district_1, district_2, [r1, r2, r3, r4])
