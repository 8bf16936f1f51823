"""Benchmark: resident matching (splink on DuckDB) on N synthetic residents; accuracy on the labeled pairs.

    .venv/bin/python bench/matching.py [--residents 100000] [--duplicates 0.1] [--seed 7]
    .venv/bin/python bench/matching.py --residents 1000000

Residents are made with Faker (seeded); a share of them get a second record written differently (nickname,
phone format, Rd/Road, accents dropped, a typo, no address), so the run also reports how many of those planted
duplicates the batch finds and how many other pairs it proposes. Prints residents/s and peak memory. No
database: it times normalizing and scoring, which is what `manage.py match_residents` spends its time on.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

TYPES = ["St", "Street", "Rd", "Road", "Ave", "Avenue", "Dr", "Drive", "Ln", "Lane", "Blvd", "Ct"]
SHORT = {"Street": "St", "Road": "Rd", "Avenue": "Ave", "Drive": "Dr", "Lane": "Ln"}


def _people(n: int, share: float, seed: int) -> tuple[list[dict], set[tuple[int, int]]]:
    from faker import Faker
    from unidecode import unidecode

    from porchlight.people.matching.normalize import first_name_variants

    fake = Faker(["en_US", "es_MX"])
    Faker.seed(seed)
    rng = random.Random(seed)
    firsts = [fake.first_name() for _ in range(3000)]
    lasts = [fake.last_name() for _ in range(6000)]
    streets = [fake.street_name().split()[0] for _ in range(2000)]
    people, truth = [], set()
    for i in range(n):
        people.append(
            {
                "id": i + 1,
                "first": rng.choice(firsts),
                "last": rng.choice(lasts),
                "street": f"{rng.randint(1, 9999)} {rng.choice(streets)} {rng.choice(TYPES)}",
                "unit": rng.choice(["", "", "", f"Apt {rng.randint(1, 40)}"]),
                "zip": f"282{rng.randint(0, 80):02d}",
                "phone": f"+1704{rng.randint(2000000, 9999999)}" if rng.random() < 0.7 else "",
                "email": f"user{i}@example.org" if rng.random() < 0.3 else "",
            }
        )
    for original in rng.sample(people[:n], int(n * share)):
        dup = dict(original, id=len(people) + 1)
        change = rng.choice(["nickname", "road", "accents", "typo", "no_address", "unit"])
        if change == "nickname":
            variants = [
                v for v in first_name_variants(original["first"].lower()) if v != original["first"].lower()
            ]
            dup["first"] = rng.choice(variants).title() if variants else original["first"]
        elif change == "road":
            number, name, kind = original["street"].split(" ", 2)
            dup["street"] = f"{number} {name} {SHORT.get(kind, kind)}"
        elif change == "accents":
            dup["first"], dup["last"] = unidecode(original["first"]), unidecode(original["last"])
        elif change == "typo" and len(original["last"]) > 3:
            s = original["last"]
            k = rng.randint(1, len(s) - 2)
            dup["last"] = s[:k] + s[k + 1] + s[k] + s[k + 2 :]
        elif change == "no_address":
            dup["street"] = dup["unit"] = dup["zip"] = ""
        else:
            dup["unit"] = original["unit"].replace("Apt", "#")
        people.append(dup)
        truth.add((original["id"], dup["id"]))
    return people, truth


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument(
        "--duplicates", type=float, default=0.1, help="share of residents given a second record"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porchlight.settings")
    import django

    django.setup()
    from porchlight.people.matching import model
    from porchlight.people.matching.engine import pairs_within
    from porchlight.people.matching.evaluate import evaluate
    from porchlight.people.matching.normalize import match_record

    ev = evaluate()
    print(
        f"labeled pairs: threshold {model.REVIEW_THRESHOLD}, precision {ev.precision:.3f},"
        f" recall {ev.recall:.3f}"
        f" ({ev.true_pos + ev.false_neg} matches, {ev.true_neg + ev.false_pos} non-matches)"
    )
    people, truth = _people(args.residents, args.duplicates, args.seed)
    started = time.perf_counter()
    records = [
        match_record(
            unique_id=p["id"],
            first_name=p["first"],
            last_name=p["last"],
            street=p["street"],
            unit=p["unit"],
            zip_code=p["zip"],
            phones=[p["phone"]] if p["phone"] else [],
            emails=[p["email"]] if p["email"] else [],
        )
        for p in people
    ]
    normalized = time.perf_counter()
    pairs = pairs_within(records)
    done = time.perf_counter()
    found = {(p.id_a, p.id_b) for p in pairs}
    hits = len(found & truth)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(records):,} records ({len(truth):,} planted duplicates)")
    print(f"normalize: {normalized - started:.1f} s; score (DuckDB): {done - normalized:.1f} s")
    print(f"{len(records) / (done - started):,.0f} residents/s; peak memory {peak_mb:,.0f} MB")
    print(
        f"proposed {len(found):,} pairs: {hits:,} planted duplicates found"
        f" (recall {hits / max(1, len(truth)):.3f}),"
        f" {len(found) - hits:,} other pairs (precision {hits / max(1, len(found)):.3f})"
    )


if __name__ == "__main__":
    main()
