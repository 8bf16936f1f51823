import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from porchlight.cases.casework.followups import (
    CHECK_IN_RULE,
    followup_schedule_for_referral,
    followups_close_for_closed_referrals,
    followups_schedule,
)
from porchlight.cases.casework.selectors import task_queue
from porchlight.cases.models import Referral, Task
from porchlight.cases.services import referral_create, referral_set_status
from porchlight.testing.factories import NeedFactory, ProgramFactory, ReferralFactory

TODAY = dt.date(2026, 3, 10)


def made_on(day: dt.date, **kwargs) -> Referral:
    """A referral created on `day` (noon, city time)."""
    referral = ReferralFactory(**kwargs)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    Referral.objects.filter(pk=referral.pk).update(created_at=at, sent_at=at)
    referral.refresh_from_db()
    return referral


@pytest.mark.django_db
def test_it_schedules_one_check_in_per_open_referral_due_14_days_after(settings):
    settings.REFERRAL_CHECK_IN_DAYS = 14
    referral = made_on(TODAY - dt.timedelta(days=3), program__name="Emergency rent assistance")
    assert followups_schedule(today=TODAY) == 1
    task = Task.objects.get()
    assert (task.referral, task.kind, task.rule) == (referral, "follow_up", CHECK_IN_RULE)
    assert task.assigned_to == referral.owner
    assert task.due_on == TODAY + dt.timedelta(days=11)
    assert task.title == f"Check in with {referral.resident} about Emergency rent assistance"


@pytest.mark.django_db
def test_it_is_idempotent():
    made_on(TODAY - dt.timedelta(days=1))
    made_on(TODAY - dt.timedelta(days=20))
    assert followups_schedule(today=TODAY) == 2
    assert followups_schedule(today=TODAY) == 0
    assert followup_schedule_for_referral(referral=Referral.objects.first()) is not None
    assert Task.objects.count() == 2


@pytest.mark.django_db
def test_it_follows_the_configured_number_of_days(settings):
    settings.REFERRAL_CHECK_IN_DAYS = 7
    made_on(TODAY)
    followups_schedule(today=TODAY)
    assert Task.objects.get().due_on == TODAY + dt.timedelta(days=7)


@pytest.mark.django_db
def test_it_skips_closed_referrals_future_ones_and_those_before_the_look_back():
    made_on(TODAY - dt.timedelta(days=2), status=Referral.Status.RESOLVED)
    made_on(TODAY - dt.timedelta(days=2), status=Referral.Status.DECLINED)
    made_on(TODAY + dt.timedelta(days=1))  # "made tomorrow": not yet, seen from the frozen today
    made_on(TODAY - dt.timedelta(days=200))
    assert followups_schedule(today=TODAY, created_since=TODAY - dt.timedelta(days=90)) == 0
    assert followups_schedule(today=TODAY) == 1  # no look-back limit: the 200-day-old open referral


@pytest.mark.django_db
def test_a_closed_referrals_check_in_leaves_the_queue_at_once_and_is_marked_done_by_the_daily_run():
    referral = made_on(TODAY - dt.timedelta(days=20))
    followups_schedule(today=TODAY)
    owner = referral.owner
    assert task_queue(user=owner, today=TODAY)["overdue"]
    referral_set_status(referral=referral, status="unresolved", actor=owner, reason="could_not_contact")
    assert task_queue(user=owner, today=TODAY)["overdue"] == []
    assert followups_close_for_closed_referrals() == 1
    task = Task.objects.get()
    assert task.done_at is not None and task.done_by is None
    assert followups_close_for_closed_referrals() == 0


@pytest.mark.django_db
def test_it_schedules_the_check_in_right_after_a_referral_is_made(django_capture_on_commit_callbacks):
    need = NeedFactory()
    worker = need.conversation.held_by
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_create(need=need, program=ProgramFactory(), actor=worker, consent_given=True)
    task = Task.objects.get(referral=referral)
    assert task.due_on == timezone.localdate() + dt.timedelta(days=14)
    assert task.assigned_to == worker


@pytest.mark.django_db
def test_the_daily_command_schedules_retires_and_reports(capsys):
    made_on(TODAY - dt.timedelta(days=2))
    call_command("followups", "--today", TODAY.isoformat(), "--no-email")
    out = capsys.readouterr().out
    assert "Scheduled 1 check-in task(s)" in out
    assert "Sent no email" in out
    assert Task.objects.count() == 1
