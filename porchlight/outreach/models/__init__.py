"""Outreach models: campaigns, conversations and their needs; targets, turfs, scripts and attempts."""

from porchlight.outreach.models.campaigns import Campaign, Channel, Conversation, NeedCategory, Topic
from porchlight.outreach.models.field import Attempt, Outcome, Script, Target, TargetList, Turf
from porchlight.outreach.models.needs import Need

__all__ = [
    "Attempt",
    "Campaign",
    "Channel",
    "Conversation",
    "Need",
    "NeedCategory",
    "Outcome",
    "Script",
    "Target",
    "TargetList",
    "Topic",
    "Turf",
]
