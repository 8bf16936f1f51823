"""Factories for eligibility screening: rules, AMI tables and screenings."""

from __future__ import annotations

import factory

from porchlight.directory.models import AreaMedianIncome, EligibilityRule, Screening
from porchlight.testing.factories import ProgramFactory, ResidentFactory, UserFactory

# HUD's adjustments of the four-person figure for household sizes 1–8, in percent.
HUD_SIZE_PERCENT = {1: 70, 2: 80, 3: 90, 4: 100, 5: 108, 6: 116, 7: 124, 8: 132}


def ami_table_create(*, year: int, four_person: int) -> dict[int, int]:
    """An AMI table for sizes 1–8 derived from the four-person figure; returns {size: income}."""
    table = {size: four_person * pct // 100 for size, pct in HUD_SIZE_PERCENT.items()}
    AreaMedianIncome.objects.bulk_create(
        [AreaMedianIncome(year=year, household_size=s, income=i) for s, i in table.items()]
    )
    return table


class EligibilityRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityRule

    program = factory.SubFactory(ProgramFactory)
    question = EligibilityRule.Question.INCOME
    operator = EligibilityRule.Operator.AMI_AT_MOST
    value = "60"
    explanation = ""


class ScreeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Screening

    resident = factory.SubFactory(ResidentFactory)
    screened_by = factory.SubFactory(UserFactory)
    answers = factory.LazyFunction(lambda: {"household_size": 3, "income": 30000, "tenure": "renter"})
    results = factory.LazyFunction(list)
