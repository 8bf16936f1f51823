"""Build (and wipe) the demo city: Charlotte's 2017 Community Letter campaign on the real NPA geography.

Deterministic for a given seed: the same seed gives the same names, addresses, notes and referrals.
Everything is written with bulk inserts in one transaction, so that a full city takes seconds, not minutes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import ProtectedError, Q

from porchlight.accounts.models import AuditEvent, Team, User
from porchlight.cases.models import (
    Case,
    CaseDocument,
    CaseNote,
    CaseStatusChange,
    Need,
    Referral,
    ReferralStatusChange,
    Task,
)
from porchlight.demo.build_accounts import TEAMS, build_accounts, build_directory
from porchlight.demo.build_cases import build_cases
from porchlight.demo.build_dialogues import build_dialogues
from porchlight.demo.build_field import build_field
from porchlight.demo.build_outreach import build_campaigns, build_conversations
from porchlight.demo.build_people import build_people
from porchlight.demo.build_places import build_addresses, build_areas
from porchlight.demo.build_screening import build_screening
from porchlight.demo.build_themes import build_themes
from porchlight.demo.context import BuildContext
from porchlight.demo.logins import DEMO_LOGINS
from porchlight.directory.models import (
    AreaMedianIncome,
    EligibilityRule,
    Location,
    Organization,
    Program,
    Screening,
)
from porchlight.outreach.models import (
    Attempt,
    Campaign,
    Conversation,
    Script,
    Target,
    TargetList,
    Topic,
    Turf,
)
from porchlight.people.models import Email, Household, Phone, Resident
from porchlight.places.geo import area_index_reset
from porchlight.places.models import Address, Area, Building

DEFAULT_SEED = 2017
DEFAULT_ADDRESSES = 20_000
DEFAULT_RESIDENTS = 6_000
DEFAULT_CONVERSATIONS = 8_000


class DemoError(Exception):
    """The demo cannot be built or wiped as asked; the message says why and what to do."""


@dataclass(frozen=True)
class DemoSummary:
    areas: int
    addresses: int
    residents: int
    users: int
    conversations: int
    needs: int
    referrals: int
    seconds: float


def demo_has_data() -> bool:
    """True when the database already holds a city (areas, residents or a campaign)."""
    return Campaign.objects.exists() or Area.objects.exists() or Resident.objects.exists()


@transaction.atomic
def demo_build(
    *,
    seed: int = DEFAULT_SEED,
    addresses: int = DEFAULT_ADDRESSES,
    residents: int = DEFAULT_RESIDENTS,
    conversations: int = DEFAULT_CONVERSATIONS,
    say: Callable[[str], None] = print,
) -> DemoSummary:
    """Build the demo city in an empty database."""
    if demo_has_data():
        raise DemoError(
            "The database already holds areas, residents or campaigns: use --reset to rebuild it."
        )
    if min(addresses, residents, conversations) < 1:
        raise DemoError("--addresses, --residents and --conversations must be at least 1.")
    if residents > addresses:
        raise DemoError("Ask for at least as many addresses as residents.")
    ctx = BuildContext(
        seed=seed, n_addresses=addresses, n_residents=residents, n_conversations=conversations, say=say
    )
    ctx.progress(f"Building the demo city (seed {seed})")
    build_accounts(ctx)
    build_areas(ctx)
    build_directory(ctx)  # after the areas: programs name the areas they serve
    build_addresses(ctx)
    build_people(ctx)
    campaigns, topics = build_campaigns(ctx)
    build_conversations(ctx, campaigns, topics)
    build_themes(ctx)  # the campaigns' codebooks, and their notes coded into them
    build_dialogues(ctx)  # the dialogue campaign's statements, votes and opinion groups
    build_screening(ctx)  # after the programs' rules and the conversations
    build_field(ctx)
    build_cases(ctx)  # after the referrals: cases link them, the scheduler follows them up
    transaction.on_commit(area_index_reset)
    return DemoSummary(
        areas=Area.objects.count(),
        addresses=Address.objects.count(),
        residents=Resident.objects.count(),
        users=User.objects.count(),
        conversations=Conversation.objects.count(),
        needs=Need.objects.count(),
        referrals=Referral.objects.count(),
        seconds=time.monotonic() - ctx.started,
    )


@transaction.atomic
def demo_reset(*, say: Callable[[str], None] = print) -> None:
    """Wipe the tables the demo fills. Refuses while the append-only audit log names any user."""
    if AuditEvent.objects.filter(actor__isnull=False).exists():
        raise DemoError(
            "The audit log is append-only and refers to users of this database, so they cannot be deleted. "
            "Start from a fresh database instead (for SQLite: delete var/porchlight.sqlite3, then run "
            "`manage.py migrate` and `manage.py demo`)."
        )
    steps = [
        Attempt,
        Target,
        Turf,
        TargetList,
        Script,
        Task,
        CaseDocument,
        CaseNote,
        CaseStatusChange,
        ReferralStatusChange,
        Referral,
        Case,
        Screening,
        Need,
        Conversation.topics.through,
        Conversation,
        Campaign,
        Topic,
        EligibilityRule,
        Program,
        Location,
        Organization,
        AreaMedianIncome,
        Phone,
        Email,
        Resident,
        Household,
        Address.areas.through,
        Address,
        Building,
        Area,
    ]
    demo_usernames = [login.username for login in DEMO_LOGINS]
    try:
        for model in steps:
            deleted, _ = model.objects.all().delete()
            say(f"  deleted {deleted} {model._meta.verbose_name_plural}")
        # Users of the demo teams only: an operator's own superuser (no team) survives a reset.
        deleted, _ = User.objects.filter(Q(team__name__in=TEAMS) | Q(username__in=demo_usernames)).delete()
        say(f"  deleted {deleted} users")
        deleted, _ = Team.objects.filter(name__in=TEAMS, members__isnull=True).delete()
        say(f"  deleted {deleted} teams")
    except ProtectedError as exc:
        raise DemoError(f"Cannot wipe the demo: other records still refer to it ({exc.args[0]})") from exc
    transaction.on_commit(area_index_reset)
    area_index_reset()
