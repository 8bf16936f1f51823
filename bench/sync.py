"""Benchmark: do offline records survive a bad connection? Push N records through POST /api/v1/sync/ over real
HTTP (a WSGI server in a thread on 127.0.0.1, in this process) while a share of requests fail — dropped before
sending, or dropped after the server processed them and before the answer arrived — and some answered batches
are delivered again. The client behaves like the app: outbox, batches, retry until acknowledged, drop only
what was acknowledged. Prints records lost and duplicated (both must be 0), requests sent and time.

    .venv/bin/python bench/sync.py                       # 2,000 records, 30% failing, scratch SQLite in /tmp
    .venv/bin/python bench/sync.py --records 5000 --fail 0.5 --batch 100 --seed 7
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/porchlight_bench .venv/bin/python bench/sync.py

Without DATABASE_URL it writes a fresh SQLite file under /tmp (migrated at start); with it, point at a scratch
database: it migrates and adds a campaign, a turf and a worker.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porchlight.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{tempfile.mkdtemp(prefix='porchlight-bench-sync-')}/bench.sqlite3"
    )

import django

django.setup()

from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token

from porchlight.accounts.models import Team, User
from porchlight.accounts.roles import Role
from porchlight.outreach.models import Attempt, Campaign, Conversation, Target, TargetList, Topic, Turf
from porchlight.places.models import Address


class Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def build(doors: int) -> tuple[User, list[int], list[int]]:
    call_command("migrate", verbosity=0)
    tag = uuid.uuid4().hex[:8]
    team = Team.objects.create(name=f"Bench team {tag}")
    worker = User.objects.create_user(
        username=f"bench-{tag}", password=uuid.uuid4().hex, role=Role.OUTREACH_WORKER, team=team
    )
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name=f"Bench {tag}",
        start_date=today - dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=30),
        languages=["en", "es"],
    )
    topics = [Topic.objects.get_or_create(name=n)[0] for n in ("Affordable housing", "Community safety")]
    campaign.topics.set(topics)
    target_list = TargetList.objects.create(
        campaign=campaign, name="Bench doors", kind="door", created_by=worker
    )
    turf = Turf.objects.create(target_list=target_list, number=1, name="Bench turf", assigned_to=worker)
    targets = []
    for i in range(doors):
        address = Address.objects.create(
            street=f"{100 + i} Bench St {tag}", city="Charlotte", zip_code="28202"
        )
        targets.append(
            Target.objects.create(target_list=target_list, turf=turf, address=address, sequence=i).pk
        )
    return worker, targets, [t.pk for t in topics]


def make_records(n: int, targets: list[int], topics: list[int], rng: random.Random) -> list[dict]:
    """The outbox: n records; one visit in five is a conversation (conversation + its attempt = 2 records)."""
    records: list[dict] = []
    start = timezone.now() - dt.timedelta(hours=6)
    while len(records) < n:
        target = rng.choice(targets)
        made_at = (start + dt.timedelta(seconds=len(records) * 5)).isoformat()
        attempt = {
            "client_id": str(uuid.uuid4()),
            "target": target,
            "made_at": made_at,
            "outcome": rng.choice(["not_home", "not_home", "refused", "inaccessible"]),
        }
        if rng.random() < 0.2 and len(records) + 2 <= n:
            conversation = {
                "client_id": str(uuid.uuid4()),
                "target": target,
                "held_at": made_at,
                "language": "en",
                "topics": [rng.choice(topics)],
                "notes": "Bench conversation.",
                "needs": [{"category": "housing", "details": "rent"}],
            }
            attempt.update(outcome="conversation", conversation_client_id=conversation["client_id"])
            records.append({"kind": "conversation", "body": conversation})
        records.append({"kind": "attempt", "body": attempt})
    return records


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument(
        "--fail", type=float, default=0.3, help="share of requests that fail (half each kind)"
    )
    parser.add_argument("--repeat", type=float, default=0.1, help="share of answered batches delivered again")
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--doors", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60, help="seconds before a request times out")
    parser.add_argument(
        "--max-failures", type=int, default=10, help="real failures in a row (timeouts...) before giving up"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)

    worker, targets, topics = build(args.doors)
    token = Token.objects.create(user=worker).key
    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/api/v1/sync/"

    outbox = {r["body"]["client_id"]: r for r in make_records(args.records, targets, topics, rng)}
    order = list(outbox)
    generated = set(order)
    counts = {
        "requests": 0,
        "dropped_before": 0,
        "dropped_after": 0,
        "repeated": 0,
        "created": 0,
        "duplicate": 0,
        "rejected": 0,
        "failed": 0,
    }

    def post(batch: list[dict]) -> dict:
        body = json.dumps(
            {
                "sent_at": timezone.now().isoformat(),
                "attempts": [r["body"] for r in batch if r["kind"] == "attempt"],
                "conversations": [r["body"] for r in batch if r["kind"] == "conversation"],
            }
        ).encode()
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        )
        with urllib.request.urlopen(request, timeout=args.timeout) as response:  # noqa: S310 - http://127.0.0.1 only
            return json.loads(response.read())

    failures_in_a_row = 0

    def send(batch: list[dict]) -> dict | None:
        """One request; a timeout or a dropped connection is a failed request, retried (bounded)."""
        nonlocal failures_in_a_row
        try:
            answer = post(batch)
        except (OSError, http.client.HTTPException) as exc:  # timeout, URLError, reset, bad status
            failures_in_a_row += 1
            counts["failed"] += 1
            if failures_in_a_row > args.max_failures:
                raise SystemExit(f"{failures_in_a_row} requests in a row failed; last: {exc!r}") from exc
            time.sleep(min(2.0, 0.05 * 2**failures_in_a_row))  # back off as the app does
            return None
        failures_in_a_row = 0
        return answer

    began = time.perf_counter()
    while order:
        batch = [outbox[c] for c in order[: args.batch]]
        linked = {r["body"].get("conversation_client_id") for r in batch} - {None}
        batch += [outbox[c] for c in linked if c in outbox and outbox[c] not in batch]  # travel together
        roll = rng.random()
        if roll < args.fail / 2:  # the connection drops before the request leaves the phone
            counts["dropped_before"] += 1
            continue
        counts["requests"] += 1
        answer = send(batch)
        if answer is None:  # a real failure (timeout, reset): the batch stays in the outbox, as on the phone
            continue
        if roll < args.fail:  # the server did the work, the answer is lost on the way back
            counts["dropped_after"] += 1
            continue
        if rng.random() < args.repeat:  # the same batch delivered twice (a retried request that did arrive)
            counts["requests"] += 1
            counts["repeated"] += 1
            answer = send(batch) or answer
        for result in answer["results"]:
            counts[result["status"]] += 1
            if result["status"] in ("created", "duplicate"):
                outbox.pop(result["client_id"], None)
            else:
                raise SystemExit(f"rejected: {result}")
        order = [c for c in order if c in outbox]
    elapsed = time.perf_counter() - began
    server.shutdown()

    made = Attempt.objects.filter(made_by=worker)
    held = Conversation.objects.filter(held_by=worker)
    stored_ids = [str(c) for c in made.values_list("client_id", flat=True)]
    stored_ids += [str(c) for c in held.values_list("client_id", flat=True)]
    stored = len(stored_ids)
    unique = len(set(stored_ids))
    expected = len(generated)
    lost = len(generated - set(stored_ids))
    print(f"records: {expected} ({held.count()} conversations, {made.count()} attempts stored)")
    print(f"records lost: {lost}   duplicated: {stored - unique}   still in outbox: {len(outbox)}")
    linked = made.filter(conversation__isnull=False).count()
    print(f"linked pairs: {linked} attempts → {held.count()} conversations")
    print(
        f"requests sent: {counts['requests']} (+{counts['dropped_before']} dropped before sending; "
        f"{counts['dropped_after']} answers dropped after processing; {counts['repeated']} batches repeated; "
        f"{counts['failed']} timed out or failed and retried)"
    )
    print(f"answers: {counts['created']} created, {counts['duplicate']} duplicate, {counts['rejected']} rej.")
    print(
        f"time: {elapsed:.1f} s ({expected / elapsed:.0f} records/s acknowledged, batch {args.batch}, "
        f"{os.environ['DATABASE_URL'].split(':')[0]})"
    )
    if lost or stored != unique or outbox:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
