"""Coding notes in bulk: one service (`coding_run_start`) behind the codebook page's button and the
`code_themes` command, with the same rules and a CodingRun recording progress either way."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from porchlight.insights.coding import services
from porchlight.insights.models import CodingRun, TextItem, ThemeCode
from porchlight.insights.tests.factories_coding import NOTES, coding_campaign, conversation

pytestmark = pytest.mark.django_db


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("code_themes", *args, stdout=out)
    return out.getvalue()


def _codes(campaign) -> list[tuple[str, str, float]]:
    """The campaign's automatic codes, comparable across campaigns: (note, theme name, confidence)."""
    rows = ThemeCode.objects.filter(item__campaign=campaign).values_list(
        "item__text", "theme__name", "confidence"
    )
    return sorted((text, theme, round(confidence, 6)) for text, theme, confidence in rows)


def test_it_refuses_to_start_without_active_themes() -> None:
    campaign = coding_campaign()
    campaign.themes.update(is_active=False)
    with pytest.raises(ValidationError) as exc:
        services.coding_run_start(campaign=campaign)
    assert exc.value.code == "no_themes"
    assert not CodingRun.objects.exists()


def test_it_refuses_a_second_run_while_one_is_under_way() -> None:
    campaign = coding_campaign()
    CodingRun.objects.create(campaign=campaign, status=CodingRun.Status.QUEUED, total=3)
    with pytest.raises(ValidationError) as exc:
        services.coding_run_start(campaign=campaign)
    assert exc.value.code == "under_way"
    assert CodingRun.objects.filter(campaign=campaign).count() == 1


def test_in_the_foreground_it_returns_the_finished_run() -> None:
    campaign = coding_campaign()
    run = services.coding_run_start(campaign=campaign, background=False)
    assert run.status == CodingRun.Status.DONE
    assert run.done == run.total == len(NOTES)
    assert not TextItem.objects.filter(campaign=campaign, coded_at__isnull=True).exists()


def test_the_command_records_a_coding_run_the_codebook_page_shows() -> None:
    campaign = coding_campaign()
    out = _command("--campaign", str(campaign.pk))
    run = CodingRun.objects.get(campaign=campaign)
    assert run.status == CodingRun.Status.DONE and run.started_by is None
    assert run.done == run.total == len(NOTES)
    assert f"{campaign}: coded {len(NOTES)} of {len(NOTES)} notes" in out


def test_the_command_and_the_button_code_notes_alike(django_capture_on_commit_callbacks) -> None:
    by_command, by_button = coding_campaign(), coding_campaign()
    _command("--campaign", str(by_command.pk))
    with django_capture_on_commit_callbacks(execute=True):
        services.coding_run_start(campaign=by_button)
    assert _codes(by_command) == _codes(by_button)
    assert _codes(by_command)


def test_the_command_with_only_uncoded_codes_only_the_new_notes() -> None:
    campaign = coding_campaign()
    _command("--campaign", str(campaign.pk))
    conversation(campaign, "Our landlord raised the rent again and we may have to move out.")
    out = _command("--all", "--only-uncoded")
    latest = CodingRun.objects.filter(campaign=campaign).first()
    assert (latest.done, latest.total) == (1, 1)
    assert f"{campaign}: coded 1 of 1 notes" in out
    assert not TextItem.objects.filter(coded_at__isnull=True).exists()


def test_the_command_skips_a_campaign_whose_run_is_under_way() -> None:
    campaign = coding_campaign()
    CodingRun.objects.create(campaign=campaign, status=CodingRun.Status.RUNNING, total=10, done=4)
    out = _command("--campaign", str(campaign.pk))
    assert f"{campaign}: skipped: A coding run is already under way" in out
    assert CodingRun.objects.filter(campaign=campaign).count() == 1
    assert not TextItem.objects.filter(campaign=campaign, coded_at__isnull=False).exists()


def test_the_command_says_why_it_skips_a_campaign_without_themes() -> None:
    campaign = coding_campaign()
    campaign.themes.all().delete()
    out = _command("--all")
    assert f"{campaign}: skipped: no themes in its codebook (try --seed-codebook)" in out
    assert not CodingRun.objects.exists()


def test_the_command_refuses_an_unknown_campaign() -> None:
    with pytest.raises(CommandError, match="No campaign with id 999999"):
        _command("--campaign", "999999")
