"""Reads behind the field progress page: what part of a campaign's work is counted (ProgressScope), and the
campaign the page opens with."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from porchlight.accounts.models import Team, User
from porchlight.cases.models import Referral
from porchlight.outreach.models import Attempt, Campaign, Conversation, Target, Turf


@dataclass(frozen=True)
class ProgressScope:
    """Which part of a campaign's work to count: all of it, or one team's, one worker's or one turf's."""

    campaign: Campaign
    team: Team | None = None
    worker: User | None = None
    turf: Turf | None = None

    def attempts(self) -> QuerySet[Attempt]:
        qs = Attempt.objects.filter(campaign=self.campaign)
        if self.team is not None:
            qs = qs.filter(made_by__team=self.team)
        if self.worker is not None:
            qs = qs.filter(made_by=self.worker)
        if self.turf is not None:
            qs = qs.filter(target__turf=self.turf)
        return qs

    def conversations(self) -> QuerySet[Conversation]:
        qs = Conversation.objects.filter(campaign=self.campaign)
        if self.team is not None:
            qs = qs.filter(team=self.team)
        if self.worker is not None:
            qs = qs.filter(held_by=self.worker)
        if self.turf is not None:
            # A conversation belongs to a turf through the door attempt it was logged from.
            qs = qs.filter(
                Exists(Attempt.objects.filter(conversation=OuterRef("pk"), target__turf=self.turf))
            )
        return qs

    def referrals(self) -> QuerySet[Referral]:
        qs = Referral.objects.filter(need__conversation__campaign=self.campaign)
        if self.team is not None:
            qs = qs.filter(need__conversation__team=self.team)
        if self.worker is not None:
            qs = qs.filter(need__conversation__held_by=self.worker)
        if self.turf is not None:
            qs = qs.filter(
                Exists(
                    Attempt.objects.filter(
                        conversation=OuterRef("need__conversation"), target__turf=self.turf
                    )
                )
            )
        return qs

    def door_targets(self) -> QuerySet[Target]:
        """The doors the scope means to knock: for a worker or team, those of the turfs assigned to them."""
        qs = Target.objects.filter(target_list__campaign=self.campaign, resident__isnull=True)
        if self.team is not None:
            qs = qs.filter(turf__assigned_team=self.team)
        if self.worker is not None:
            qs = qs.filter(turf__assigned_to=self.worker)
        if self.turf is not None:
            qs = qs.filter(turf=self.turf)
        return qs


def progress_default_campaign() -> Campaign | None:
    """The campaign started most recently (not in the future), else the most recent one."""
    today = timezone.localdate()
    started = Campaign.objects.filter(start_date__lte=today).order_by("-start_date", "-id").first()
    return started or Campaign.objects.order_by("-start_date", "-id").first()


def progress_turf_choices(*, campaign_pk: str) -> QuerySet[Turf]:
    """The turfs of the campaign chosen on the page (none for a malformed choice)."""
    return (
        Turf.objects.filter(target_list__campaign_id=campaign_pk if campaign_pk.isdigit() else 0)
        .select_related("target_list")
        .order_by("target_list__name", "number")
    )
