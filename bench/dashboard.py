"""Benchmark: how fast the staff dashboard and the public summary render.

    .venv/bin/python bench/dashboard.py                      # use the current database as it is
    .venv/bin/python bench/dashboard.py --build 8000         # first add a synthetic city: 459 neighborhoods,
                                                             # 7 council districts, 8,000 conversations
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/dashboard.py --migrate --build 8000

Prints, for each page, the median and worst of --repeat renders (through Django's test client, so templates,
middleware and every query are included; the browser's chart drawing is not) and the number of queries.
`--build` writes to the database named by DATABASE_URL: point it at a scratch database.
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
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from porchlight.accounts.models import Team, User
from porchlight.accounts.roles import Role
from porchlight.cases.models import Referral
from porchlight.directory.models import Organization, Program
from porchlight.outreach.models import (
    Campaign,
    Channel,
    Conversation,
    Need,
    NeedCategory,
    Topic,
)
from porchlight.people.models import Resident
from porchlight.places.models import Area

WEST, SOUTH = -81.0, 35.0
COLS, ROWS = 27, 17  # 459 neighborhoods
CELL = 0.015


def _square(lon: float, lat: float, w: float, h: float, per_edge: int = 8) -> dict:
    """A rectangle drawn with extra vertices on each edge, so simplification has work to do."""
    pts = []
    corners = [(lon, lat), (lon + w, lat), (lon + w, lat + h), (lon, lat + h)]
    for i in range(4):
        (x0, y0), (x1, y1) = corners[i], corners[(i + 1) % 4]
        for k in range(per_edge):
            pts.append([x0 + (x1 - x0) * k / per_edge, y0 + (y1 - y0) * k / per_edge])
    pts.append(pts[0])
    return {"type": "Polygon", "coordinates": [pts]}


def _area(kind: str, code: str, name: str, geom: dict, population: int | None) -> Area:
    xs = [p[0] for p in geom["coordinates"][0]]
    ys = [p[1] for p in geom["coordinates"][0]]
    return Area(
        kind=kind,
        code=code,
        name=name,
        population=population,
        population_year=2020,
        geometry=geom,
        min_lon=min(xs),
        min_lat=min(ys),
        max_lon=max(xs),
        max_lat=max(ys),
    )


@transaction.atomic
def build(n_conversations: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    tag = uuid.uuid4().hex[:6]
    hoods = []
    for r in range(ROWS):
        for c in range(COLS):
            geom = _square(WEST + c * CELL, SOUTH + r * CELL, CELL, CELL)
            hoods.append(
                _area(
                    Area.Kind.NEIGHBORHOOD,
                    f"b{tag}-{r}-{c}",
                    f"Bench {tag} NPA {r * COLS + c + 1}",
                    geom,
                    rng.randint(800, 6000),
                )
            )
    Area.objects.bulk_create(hoods)
    hoods = list(Area.objects.filter(code__startswith=f"b{tag}-", kind=Area.Kind.NEIGHBORHOOD))
    districts = []
    width = COLS * CELL / 7
    for d in range(7):
        geom = _square(WEST + d * width, SOUTH, width, ROWS * CELL, per_edge=2)
        districts.append(
            _area(Area.Kind.COUNCIL_DISTRICT, f"b{tag}-d{d + 1}", f"Bench {tag} District {d + 1}", geom, None)
        )
    Area.objects.bulk_create(districts)

    team, _ = Team.objects.get_or_create(name="Bench outreach team")
    worker, _ = User.objects.get_or_create(
        username="bench-worker", defaults={"role": Role.OUTREACH_WORKER, "team": team}
    )
    topic_names = [
        "Community safety",
        "Affordable housing",
        "Good-paying jobs",
        "Trust",
        "Accountability",
        "Transit",
        "Parks",
        "Schools",
    ]
    topics = [Topic.objects.get_or_create(name=f"{name} ({tag})")[0] for name in topic_names]
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name=f"Bench campaign {tag}",
        start_date=today - dt.timedelta(days=180),
        end_date=today,
        languages=["en", "es"],
        conversation_target=n_conversations,
    )
    campaign.topics.set(topics)
    residents = Resident.objects.bulk_create(
        [
            Resident(first_name=f"R{i}", last_name=tag, preferred_language="en")
            for i in range(n_conversations // 2)
        ]
    )
    residents = list(Resident.objects.filter(last_name=tag))
    weights = [rng.random() ** 3 for _ in hoods]  # uneven reach, with a long tail of small neighborhoods
    start = timezone.now() - dt.timedelta(days=180)
    convos = []
    for _i in range(n_conversations):
        convos.append(
            Conversation(
                campaign=campaign,
                channel=rng.choices(Channel.values, weights=[60, 20, 10, 8, 2])[0],
                held_by=worker,
                team=team,
                held_at=start + dt.timedelta(minutes=rng.randint(0, 180 * 24 * 60)),
                resident=rng.choice(residents) if rng.random() < 0.8 else None,
                area=rng.choices(hoods, weights=weights)[0] if rng.random() < 0.97 else None,
                language=rng.choices(["en", "es", "vi", "zh", "ar"], weights=[75, 18, 3, 2, 2])[0],
            )
        )
    Conversation.objects.bulk_create(convos, batch_size=1000)
    convos = list(Conversation.objects.filter(campaign=campaign).only("id", "resident_id"))
    through = Conversation.topics.through
    links = []
    for c in convos:
        for t in rng.sample(topics, rng.randint(1, 3)):
            links.append(through(conversation_id=c.id, topic_id=t.id))
    through.objects.bulk_create(links, batch_size=2000)
    needs = []
    for c in convos:
        if c.resident_id and rng.random() < 0.15:
            needs.append(
                Need(
                    conversation_id=c.id, resident_id=c.resident_id, category=rng.choice(NeedCategory.values)
                )
            )
    Need.objects.bulk_create(needs, batch_size=1000)
    org, _ = Organization.objects.get_or_create(name="Bench partner")
    program, _ = Program.objects.get_or_create(
        organization=org, name="Bench program", defaults={"category": Program.Category.HOUSING}
    )
    referrals = []
    for need in Need.objects.filter(conversation__campaign=campaign):
        if rng.random() < 0.6:
            referrals.append(
                Referral(
                    need=need,
                    resident_id=need.resident_id,
                    program=program,
                    owner=worker,
                    created_by=worker,
                    consent_given=True,
                    status=rng.choice(Referral.Status.values),
                )
            )
    Referral.objects.bulk_create(referrals, batch_size=1000)
    print(
        f"built: {len(hoods)} neighborhoods, 7 districts, {len(convos)} conversations, "
        f"{len(links)} topic links, "
        f"{len(needs)} needs, {len(referrals)} referrals (campaign {campaign.pk})"
    )


def measure(client: Client, url: str, repeat: int, **headers: str) -> tuple[float, float, int, int]:
    times = []
    queries = 0
    size = 0
    for _i in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url, **headers)
            times.append(time.perf_counter() - t0)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
        size = len(response.content)
    return statistics.median(times) * 1000, max(times) * 1000, queries, size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--build", type=int, default=0, metavar="N", help="first add N synthetic conversations"
    )
    parser.add_argument("--migrate", action="store_true", help="run migrations first (for a fresh database)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    if args.migrate:
        call_command("migrate", verbosity=0)
    if args.build:
        t0 = time.perf_counter()
        build(args.build)
        print(f"build took {time.perf_counter() - t0:.1f} s")
    analyst, _ = User.objects.get_or_create(username="bench-analyst", defaults={"role": Role.ANALYST})
    client = Client()
    client.force_login(analyst)
    n_conv = Conversation.objects.count()
    n_hoods = Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD).count()
    print(f"database: {connection.vendor}, {n_conv} conversations, {n_hoods} neighborhoods")
    dash = reverse("insights:dashboard")
    cases = [
        ("dashboard, full page", dash, {}),
        ("dashboard, htmx fragment", dash, {"HTTP_HX_REQUEST": "true"}),
        ("dashboard, all campaigns", dash + "?campaign=", {"HTTP_HX_REQUEST": "true"}),
        ("dashboard, council districts", dash + "?area_kind=council_district", {"HTTP_HX_REQUEST": "true"}),
        ("public summary", reverse("insights:public_summary"), {}),
    ]
    cache.clear()
    t0 = time.perf_counter()
    shapes = client.get(reverse("insights:area_shapes") + "?kind=neighborhood")
    print(
        f"{'area shapes (cold cache)':32s} {(time.perf_counter() - t0) * 1000:8.1f} ms  "
        f"{len(shapes.content) / 1024:8.1f} KiB"
    )
    print(f"{'page':32s} {'median':>11s} {'worst':>11s} {'queries':>8s} {'size':>11s}")
    for label, url, headers in cases:
        median, worst, queries, size = measure(client, url, args.repeat, **headers)
        print(f"{label:32s} {median:8.1f} ms {worst:8.1f} ms {queries:8d} {size / 1024:8.1f} KiB")


if __name__ == "__main__":
    main()
