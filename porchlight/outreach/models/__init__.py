"""Outreach models: campaigns and conversations; targets, turfs, scripts and attempts."""

from porchlight.outreach.models.campaigns import Campaign, Channel, Conversation, NeedCategory, Topic
from porchlight.outreach.models.field import Attempt, Outcome, Script, Target, TargetList, Turf

__all__ = [
    "Attempt",
    "Campaign",
    "Channel",
    "Conversation",
    "NeedCategory",
    "Outcome",
    "Script",
    "Target",
    "TargetList",
    "Topic",
    "Turf",
]
