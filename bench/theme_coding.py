"""Benchmark: theme coding quality (macro/micro F1) and speed (notes per second, peak memory).

    .venv/bin/python bench/theme_coding.py                      # quality + throughput at 1k, 10k, 100k
    .venv/bin/python bench/theme_coding.py --skip-throughput
    .venv/bin/python bench/theme_coding.py --sizes 1000 10000 --model minilm

Quality:
- Bowling Green (../shared/data/feedback/bowling-green-topics/statements.csv): 607 real Pol.is statements with
  silver topic labels (11 topics). The codebook is the 11 topic names, each with a one-sentence generic
  description written without looking at the statements (BG_THEMES below). Zero-shot on all 607; then with 20
  examples per theme drawn from a train half and scored on the other half, over 5 seeds (zero-shot on the same
  halves is printed beside it for a fair comparison).
- Spanish sample (bench/data/themes_es.csv): short Spanish resident notes labeled by hand into the demo's five
  themes (see docs/themes.md), coded zero-shot with a codebook that has English and Spanish names.
Throughput: demo-like notes from the demo grammar, coded with the demo codebook (fit + predict), on this
machine's cores; peak memory is the process's maximum resident set (ru_maxrss) and tracemalloc's peak.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porchlight.settings")

import django

django.setup()

from porchlight.insights.coding.coder import Example, ThemeCoder, ThemeSpec

BG_FILE = ROOT.parent / "shared" / "data" / "feedback" / "bowling-green-topics" / "statements.csv"
ES_FILE = ROOT / "bench" / "data" / "themes_es.csv"

# Generic one-sentence descriptions of the 11 topic names, as a city analyst would write them.
BG_THEMES = [
    ("Transportation", "Roads, traffic, public transit, buses, parking, walking and biking around the city."),
    (
        "Community Services",
        "Services for residents such as libraries, community centers, youth programs "
        "and help for people in need.",
    ),
    ("Economic Development", "Jobs, wages, local businesses, investment and growing the economy."),
    ("Education", "Schools, teachers, students, colleges and learning for all ages."),
    (
        "Quality of Life",
        "What makes the city a good place to live: parks, arts, culture, entertainment, "
        "events and the look and feel of neighborhoods.",
    ),
    ("Public Safety", "Crime, police, fire and emergency services, and feeling safe."),
    (
        "Government Administration",
        "How the city government works: elected officials, taxes, budget, "
        "spending, transparency and public communication.",
    ),
    ("Healthcare", "Health care, clinics, hospitals, mental health, insurance and drug addiction."),
    (
        "Land Use and Zoning",
        "Zoning, development, building codes, property use and planning of neighborhoods.",
    ),
    ("Environment", "Pollution, clean air and water, recycling, trash, trees and green energy."),
    (
        "Infrastructure",
        "Public works and utilities: water, sewer, drainage, streetlights, internet and broadband.",
    ),
]

DEMO_THEMES = [
    ThemeSpec(
        1,
        "Community safety",
        "Feeling safe at home, on the street and with the police.",
        "Seguridad en la comunidad",
        "Sentirse seguro en casa, en la calle y con la policía.",
    ),
    ThemeSpec(
        2,
        "Trust",
        "Trust between residents, the police and the city.",
        "Confianza",
        "Confianza entre los residentes, la policía y la ciudad.",
    ),
    ThemeSpec(
        3,
        "Accountability",
        "Who answers for what the city promised, and how residents can tell.",
        "Rendición de cuentas",
        "Quién responde por lo que la ciudad prometió y cómo saberlo.",
    ),
    ThemeSpec(
        4,
        "Affordable housing",
        "Rents, repairs, displacement and owning a home.",
        "Vivienda asequible",
        "Rentas, reparaciones, desplazamiento y ser dueño de una casa.",
    ),
    ThemeSpec(
        5,
        "Good-paying jobs",
        "Wages, training, transportation to work and small business.",
        "Empleos bien pagados",
        "Salarios, capacitación, transporte al trabajo y pequeños negocios.",
    ),
]


def load_bg() -> tuple[list[str], list[set[str]]]:
    texts, labels = [], []
    with BG_FILE.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            topics = {t.split(":")[0].strip() for t in row["topics"].split(";") if t.strip()}
            texts.append(row["text"])
            labels.append(topics)
    return texts, labels


def load_es() -> tuple[list[str], list[set[str]]]:
    texts, labels = [], []
    with ES_FILE.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            texts.append(row["text"])
            labels.append({t.strip() for t in row["themes"].split(";") if t.strip()})
    return texts, labels


def f1_scores(gold: list[set[str]], predicted: list[set[str]], names: list[str]) -> tuple[float, float]:
    """Macro- and micro-averaged F1 over the theme names."""
    tp_all = fp_all = fn_all = 0
    per_theme = []
    for name in names:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if name in g and name in p)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if name not in g and name in p)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if name in g and name not in p)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        per_theme.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    micro = 2 * tp_all / (2 * tp_all + fp_all + fn_all) if tp_all + fp_all + fn_all else 0.0
    return float(np.mean(per_theme)), micro


def code(
    specs: list[ThemeSpec], texts: list[str], corpus: list[str], examples: list[Example], model: str | None
) -> list[set[str]]:
    coder = ThemeCoder.build(themes=specs, corpus=corpus, examples=examples, model=model)
    by_id = {s.id: s.name for s in specs}
    return [{by_id[t] for t, _ in codes} for codes in coder.predict(texts, ["en"] * len(texts))]


def bowling_green(model: str | None, seeds: int) -> None:
    texts, gold = load_bg()
    names = [n for n, _ in BG_THEMES]
    specs = [ThemeSpec(i + 1, n, d) for i, (n, d) in enumerate(BG_THEMES)]
    macro, micro = f1_scores(gold, code(specs, texts, texts, [], model), names)
    print(f"Bowling Green, {len(texts)} statements, zero-shot: macro-F1 {macro:.3f}  micro-F1 {micro:.3f}")
    zs, few = [], []
    for seed in range(seeds):
        rng = random.Random(seed)
        order = list(range(len(texts)))
        rng.shuffle(order)
        train, test = order[: len(order) // 2], order[len(order) // 2 :]
        examples: list[Example] = []
        for name in names:
            pool = [i for i in train if name in gold[i]]
            for i in pool[:20]:
                examples.append(Example(texts[i], positives={s.id for s in specs if s.name in gold[i]}))
        test_texts = [texts[i] for i in test]
        test_gold = [gold[i] for i in test]
        zs.append(f1_scores(test_gold, code(specs, test_texts, texts, [], model), names))
        few.append(f1_scores(test_gold, code(specs, test_texts, texts, examples, model), names))
    zs_m, few_m = np.mean(zs, axis=0), np.mean(few, axis=0)
    print(
        f"  on the test halves ({seeds} seeds): zero-shot macro-F1 {zs_m[0]:.3f} micro {zs_m[1]:.3f}; "
        f"20 examples/theme macro-F1 {few_m[0]:.3f} (sd {np.std([f[0] for f in few]):.3f}) "
        f"micro {few_m[1]:.3f}"
    )


def spanish(model: str | None) -> None:
    texts, gold = load_es()
    names = [s.name for s in DEMO_THEMES]
    macro, micro = f1_scores(gold, code(DEMO_THEMES, texts, texts, [], model), names)
    print(f"Spanish sample, {len(texts)} notes, zero-shot: macro-F1 {macro:.3f}  micro-F1 {micro:.3f}")
    en_only = [ThemeSpec(s.id, s.name, s.description) for s in DEMO_THEMES]
    macro, micro = f1_scores(gold, code(en_only, texts, texts, [], model), names)
    print(f"  same, codebook in English only: macro-F1 {macro:.3f}  micro-F1 {micro:.3f}")


def demo_like_notes(n: int, seed: int = 3) -> list[str]:
    return demo_like_labeled(n, seed)[0]


DEMO_KEYS = ["safety", "trust", "accountability", "housing", "jobs"]


def demo_like_labeled(n: int, seed: int = 3) -> tuple[list[str], list[set[str]]]:
    from porchlight.demo import grammar

    rng = random.Random(seed)
    words = grammar.Grammar(
        rng=rng, venues=["the library", "Camp Greene Park"], streets=["Tuckaseegee Rd", "Beatties Ford Rd"]
    )
    keys = [grammar.SAFETY, grammar.TRUST, grammar.ACCOUNTABILITY, grammar.HOUSING, grammar.JOBS]
    notes, labels = [], []
    for _ in range(n):
        topics = rng.sample(keys, rng.choice([1, 1, 2]))
        lang = "es" if rng.random() < 0.2 else "en"
        notes.append(words.notes(topics=topics, lang=lang))
        labels.append({DEMO_THEMES[keys.index(t)].name for t in topics})
    return notes, labels


def demo_quality(model: str | None) -> None:
    texts, gold = demo_like_labeled(3000, seed=11)
    names = [s.name for s in DEMO_THEMES]
    macro, micro = f1_scores(gold, code(DEMO_THEMES, texts, texts, [], model), names)
    print(f"Demo-grammar notes (3,000, 20% Spanish), zero-shot: macro-F1 {macro:.3f}  micro-F1 {micro:.3f}")


def throughput(sizes: list[int], model: str | None) -> None:
    print(
        f"Throughput ({os.cpu_count()} CPU cores visible), demo codebook, fit + predict in batches of 2,000:"
    )
    for n in sizes:
        notes = demo_like_notes(n)
        started = time.perf_counter()
        coder = ThemeCoder.build(themes=DEMO_THEMES, corpus=notes[:20000], model=model)
        coded = 0
        for i in range(0, n, 2000):
            coded += sum(1 for c in coder.predict(notes[i : i + 2000]) if c)
        seconds = time.perf_counter() - started
        # Python-level peak, measured on a second pass (tracemalloc slows the code it watches).
        tracemalloc.start()
        coder.predict(notes[:2000])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"  {n:>7,} notes: {seconds:7.1f} s, {n / seconds:8.0f} notes/s, "
            f"{coded / n:.0%} coded to a theme, "
            f"max RSS {rss_mb:6.0f} MB (a batch of 2,000 allocates {peak / 2**20:.0f} MB)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default=None, help="tfidf (default) or minilm")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()
    bowling_green(args.model, args.seeds)
    if ES_FILE.exists():
        spanish(args.model)
    demo_quality(args.model)
    if not args.skip_throughput:
        throughput(args.sizes, args.model)


if __name__ == "__main__":
    main()
