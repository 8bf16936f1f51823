"""The demo city's AMI table and screenings."""

from __future__ import annotations

import pytest

from porchlight.demo.build_screening import ami_load
from porchlight.demo.generator import demo_build
from porchlight.directory.models import AreaMedianIncome, Screening
from porchlight.directory.screening.screener import Verdict


def _quiet(_: str) -> None:
    pass


@pytest.mark.django_db
def test_it_loads_the_charlotte_ami_table_with_huds_size_adjustments() -> None:
    table = ami_load()
    assert table[4] == 103_800
    assert {s: round(i / table[4] * 100) for s, i in table.items()} == {
        1: 70,
        2: 80,
        3: 90,
        4: 100,
        5: 108,
        6: 116,
        7: 124,
        8: 132,
    }
    ami_load()  # idempotent
    assert AreaMedianIncome.objects.count() == 8


@pytest.mark.django_db
def test_it_builds_screenings_with_real_answers_and_results() -> None:
    demo_build(seed=11, say=_quiet, addresses=300, residents=100, conversations=200)
    screenings = list(Screening.objects.select_related("conversation", "screened_by"))
    assert 10 <= len(screenings) <= 40
    assert any(s.screened_by.username == "ambassador" for s in screenings)
    for s in screenings:
        assert 1 <= s.answers.get("household_size", 1) <= 20
        assert s.conversation is None or s.conversation.resident_id == s.resident_id
        assert all(r["verdict"] in Verdict.values for r in s.results)
