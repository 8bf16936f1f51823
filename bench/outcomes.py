"""Benchmark: how fast the referral outcomes report is computed and its page rendered.

    .venv/bin/python bench/outcomes.py          # use the current database as it is (e.g. the demo's)
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/outcomes.py --migrate --build 20000

`--build N` first adds N synthetic referrals (residents in 100 neighborhoods, 4 campaigns, 3 teams, 30
programs, every status) to the database named by DATABASE_URL: point it at a scratch database. Prints, for
each grouping, the median and worst of --repeat runs of `outcomes_report` and of the whole page (Django's test
client: middleware, template and every query) with its query count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porchlight.settings")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from porchlight.accounts.models import Team, User
from porchlight.accounts.roles import Role
from porchlight.cases.models import Referral
from porchlight.cases.outcomes import GROUP_CHOICES, outcomes_report
from porchlight.directory.models import Organization, Program
from porchlight.outreach.models import (
    Campaign,
    Channel,
    Conversation,
    Need,
)
from porchlight.people.models import Resident
from porchlight.places.models import Address, Area

S = Referral.Status


@transaction.atomic
def build(n: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    tag = uuid.uuid4().hex[:6]
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    hoods = Area.objects.bulk_create(
        [
            Area(
                kind=Area.Kind.NEIGHBORHOOD,
                code=f"o{tag}-{i}",
                name=f"Bench {tag} NPA {i}",
                geometry=square,
                min_lon=0,
                min_lat=0,
                max_lon=1,
                max_lat=1,
            )
            for i in range(100)
        ]
    )
    addresses = Address.objects.bulk_create(
        [
            Address(street=f"{i} Bench St {tag}", city="Charlotte", state="NC", zip_code="28202")
            for i in range(n)
        ]
    )
    Address.areas.through.objects.bulk_create(
        [Address.areas.through(address_id=a.pk, area_id=rng.choice(hoods).pk) for a in addresses]
    )
    teams = [Team.objects.create(name=f"Bench {tag} team {i}") for i in range(3)]
    users = [
        User.objects.create(username=f"bench-{tag}-{i}", role=Role.OUTREACH_WORKER, team=teams[i % 3])
        for i in range(12)
    ]
    today = timezone.localdate()
    campaigns = [
        Campaign.objects.create(
            name=f"Bench {tag} campaign {i}", start_date=today - dt.timedelta(days=365), end_date=today
        )
        for i in range(4)
    ]
    org = Organization.objects.create(name=f"Bench {tag} partner")
    programs = [
        Program.objects.create(
            organization=org,
            name=f"Program {i}",
            category="housing",
            accept_within_days=rng.choice([2, 3, 5, 7]),
        )
        for i in range(30)
    ]
    residents = Resident.objects.bulk_create(
        [Resident(first_name=f"R{i}", last_name=tag, address=addresses[i]) for i in range(n)]
    )
    now = timezone.now()
    conversations = Conversation.objects.bulk_create(
        [
            Conversation(
                campaign=rng.choice(campaigns),
                channel=Channel.DOOR,
                held_by=(u := rng.choice(users)),
                team=u.team,
                held_at=now - dt.timedelta(days=rng.randint(0, 360)),
                resident=r,
            )
            for r in residents
        ]
    )
    needs = Need.objects.bulk_create(
        [Need(conversation=c, resident=c.resident, category="housing") for c in conversations]
    )
    referrals = []
    for need, conversation in zip(needs, conversations, strict=True):
        status = rng.choice(
            [S.SENT, S.ACCEPTED, S.DECLINED, S.IN_PROGRESS, S.RESOLVED, S.RESOLVED, S.UNRESOLVED]
        )
        created = conversation.held_at
        accepted = (
            created + dt.timedelta(days=rng.randint(0, 5)) if status not in (S.SENT, S.DECLINED) else None
        )
        closed = (
            created + dt.timedelta(days=rng.randint(1, 90)) if status in (S.RESOLVED, S.UNRESOLVED) else None
        )
        referrals.append(
            Referral(
                need=need,
                resident=need.resident,
                program=rng.choice(programs),
                status=status,
                owner=conversation.held_by,
                created_by=conversation.held_by,
                consent_given=True,
                outcome=rng.choice(["enrolled", "completed", "service_received"])
                if status == S.RESOLVED
                else "",
                accepted_at=accepted,
                closed_at=closed,
            )
        )
    Referral.objects.bulk_create(referrals, batch_size=2000)
    # created_at is auto_now_add: backdate it to the conversation, in one statement per batch of ids.
    for referral, conversation in zip(referrals, conversations, strict=True):
        referral.created_at = conversation.held_at
    Referral.objects.bulk_update(referrals, ["created_at"], batch_size=2000)


def _time(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--build", type=int, default=0, metavar="N", help="first add N synthetic referrals")
    parser.add_argument("--migrate", action="store_true", help="run migrations first (for a fresh database)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    if args.migrate:
        call_command("migrate", verbosity=0)
    if args.build:
        t0 = time.perf_counter()
        build(args.build)
        print(f"build took {time.perf_counter() - t0:.1f} s")
    print(f"{Referral.objects.count():,} referrals on {connection.vendor}")
    analyst, _ = User.objects.get_or_create(username="bench-analyst", defaults={"role": Role.ANALYST})
    client = Client()
    client.force_login(analyst)
    url = reverse("cases:outcomes")
    for group, _label in GROUP_CHOICES:
        median, worst = _time(lambda g=group: outcomes_report(group_by=g), args.repeat)
        reset_queries()  # with DEBUG on the log is full (9,000) after the timing runs: counts would read 0
        with CaptureQueriesContext(connection) as queries:
            outcomes_report(group_by=group)
        assert client.get(url, {"group_by": group}).status_code == 200
        page_median, page_worst = _time(lambda g=group: client.get(url, {"group_by": g}), args.repeat)
        print(
            f"{group:<13} report {median:7.1f} ms (worst {worst:7.1f})   "
            f"page {page_median:7.1f} ms (worst {page_worst:7.1f}); the report takes {len(queries)} queries"
        )


if __name__ == "__main__":
    main()
