"""A hand-counted campaign with coded notes, for the breakdown, equity and report tests.

Two neighborhoods whose codes are real NPA numbers ("2" and "3"), so the bundled Census make-up applies:
- North (pop 2,000): 20 door conversations with identified residents (10 Black, 5 White, 5 not answered;
  all aged 25–34), 15 raise Safety, 3 raise Housing; 6 housing needs, 3 of them referred.
- South (pop 12,000): 20 phone conversations in Spanish, anonymous; 3 raise Safety, 10 raise Housing;
  2 food needs.
- Jobs is in the codebook and raised by nobody. Codes that must not count: a rejected automatic Jobs code
  and an automatic Jobs code under the threshold (both on North's first note).
Overall: Safety 18/40 = 45%, Housing 13/40 = 32.5%.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from porchlight.accounts.models import User
from porchlight.cases.models import Referral
from porchlight.insights.models import TextItem, Theme, ThemeCode
from porchlight.insights.tests.factories_data import area
from porchlight.outreach.models import Campaign, Channel
from porchlight.people.scrub import scrub
from porchlight.places.models import Area
from porchlight.testing.factories import (
    CampaignFactory,
    ConversationFactory,
    NeedFactory,
    ReferralFactory,
    ResidentFactory,
    UserFactory,
)

TZ = ZoneInfo("America/New_York")


@dataclass
class Report:
    campaign: Campaign
    north: Area
    south: Area
    safety: Theme
    housing: Theme
    jobs: Theme
    items: list[TextItem] = field(default_factory=list)


def _code(item: TextItem, theme: Theme, **kwargs: object) -> ThemeCode:
    return ThemeCode.objects.create(item=item, theme=theme, **{"confidence": 0.9, **kwargs})


def report_city() -> Report:
    north = area(Area.Kind.NEIGHBORHOOD, "2", "North", -80.9, 0.01, 2000)
    south = area(Area.Kind.NEIGHBORHOOD, "3", "South", -80.8, 0.01, 12000)
    campaign = CampaignFactory(
        name="Listening Tour", start_date=dt.date(2017, 3, 1), end_date=dt.date(2017, 6, 30)
    )
    safety = Theme.objects.create(campaign=campaign, name="Safety", name_es="Seguridad")
    housing = Theme.objects.create(campaign=campaign, name="Housing", name_es="Vivienda")
    jobs = Theme.objects.create(campaign=campaign, name="Jobs", name_es="Empleos")
    worker = UserFactory(first_name="Wanda", last_name="Worker")
    city = Report(campaign, north, south, safety, housing, jobs)
    _north_conversations(city, worker)
    _south_conversations(city, worker)
    return city


def _north_conversations(city: Report, worker: User) -> None:
    """20 door conversations with identified residents, in English."""
    races = ["black"] * 10 + ["white"] * 5 + [""] * 5
    for i in range(20):
        resident = ResidentFactory(
            first_name=f"Nora{i}", last_name="Quill", race_ethnicity=races[i], age_range="25_34"
        )
        text = f"Corner {i} is dark and I'm worried. Call me at 704-555-01{i:02d} about safety on my street."
        convo = ConversationFactory(
            campaign=city.campaign,
            resident=resident,
            area=city.north,
            channel=Channel.DOOR,
            held_by=worker,
            held_at=dt.datetime(2017, 3, 6 + i % 7, 12, tzinfo=TZ),
            notes=text,
        )
        item = TextItem.objects.create(
            conversation=convo,
            campaign=city.campaign,
            field="notes",
            text=text,
            language="en",
            text_scrubbed=scrub(text, known_names=[resident.first_name]),
        )
        city.items.append(item)
        if i < 15:
            _code(item, city.safety, confidence=0.95 - i * 0.01)
        if i >= 17:
            _code(item, city.housing, source=ThemeCode.Source.ANALYST, confidence=1.0)
        if i == 0:
            _code(item, city.jobs, confidence=0.99, decision=ThemeCode.Decision.REJECTED)
        if i < 6:
            need = NeedFactory(conversation=convo, resident=resident, category="housing")
            if i < 3:
                ReferralFactory(need=need, status=Referral.Status.SENT)


def _south_conversations(city: Report, worker: User) -> None:
    """20 anonymous phone conversations, in Spanish."""
    for i in range(20):
        text = "La renta subió otra vez y no alcanza para vivir aquí con mis hijos."
        convo = ConversationFactory(
            campaign=city.campaign,
            resident=None,
            area=city.south,
            channel=Channel.PHONE,
            language="es",
            held_by=worker,
            held_at=dt.datetime(2017, 4, 3 + i % 7, 12, tzinfo=TZ),
            notes=text,
        )
        item = TextItem.objects.create(
            conversation=convo,
            campaign=city.campaign,
            field="notes",
            text=text,
            language="es",
            text_scrubbed=scrub(text),
        )
        city.items.append(item)
        if i < 3:
            _code(item, city.safety)
        if 5 <= i < 15:
            _code(item, city.housing, confidence=0.8)
        if i == 19:
            _code(item, city.jobs, confidence=0.3)  # under the coder's threshold: does not count
        if i < 2:
            NeedFactory(conversation=convo, category="food")
