"""A small grammar of what Charlotte residents told ambassadors in 2017, in English and Spanish.

Sentences are templates with slots ({venue}, {street}, {route}, {relative}, ...) filled from real Charlotte
places and a few word lists, then combined into notes of one to four sentences, so that thousands of notes
read differently from one another, as real field notes do.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from porchlight.demo.phrases import (  # noqa: F401 - the topic keys are re-exported for the builders
    ACCOUNTABILITY,
    CLOSERS,
    CONTEXT,
    HOUSING,
    IDEAS,
    JOBS,
    MONTHS,
    NEED_DETAILS,
    NOTES,
    OPENERS,
    REPAIRS,
    SAFETY,
    SEASONS,
    TRUST,
    WHAT_MATTERS,
    WORDS,
)

_SLOT = re.compile(r"\{(\w+)\}")


class Grammar:
    """Fills templates from the word lists, the given venues and streets, with one seeded random source."""

    def __init__(self, *, rng: random.Random, venues: Sequence[str], streets: Sequence[str]) -> None:
        self.rng = rng
        self.venues = list(venues)
        self.streets = list(streets)

    def fill(self, template: str, lang: str, *, street: str | None = None) -> str:
        rng = self.rng
        words = WORDS[lang]

        def slot(match: re.Match[str]) -> str:
            key = match.group(1)
            if key == "venue":
                return rng.choice(self.venues)
            if key == "street":
                return street if street and rng.random() < 0.6 else rng.choice(self.streets)
            if key == "street2":
                return rng.choice(self.streets)
            if key == "relative_cap":
                value = rng.choice(words["relative"])
                return value[0].upper() + value[1:]
            if key == "month":
                return rng.choice(MONTHS[lang])
            if key == "season":
                return rng.choice(SEASONS[lang])
            if key == "repair":
                return rng.choice(REPAIRS[lang])
            if key == "years":
                return str(rng.choice([2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40]))
            if key == "months":
                return str(rng.randint(1, 4))
            if key == "rent":
                return f"{rng.randrange(750, 1700, 25):,}"
            if key == "raise":
                return str(rng.randrange(50, 300, 10))
            if key == "bill":
                return str(rng.randrange(90, 900, 5))
            return rng.choice(words[key])

        text = _SLOT.sub(slot, template)
        if lang == "es":  # contractions the slots can create: "de el callejón" -> "del callejón"
            text = text.replace(" de el ", " del ").replace(" a el ", " al ")
        return text

    def _pick(self, table: dict[str, dict[str, list[str]]], topic: str, lang: str, street: str | None) -> str:
        return self.fill(self.rng.choice(table[topic][lang]), lang, street=street)

    def notes(
        self, *, topics: Sequence[str], lang: str, channel: str = "door", street: str | None = None
    ) -> str:
        """One to four sentences: maybe an opener, one or two per topic, maybe context and a closer."""
        rng = self.rng
        sentences: list[str] = []
        if rng.random() < 0.55:
            openers = OPENERS.get(channel, OPENERS["door"])[lang]
            sentences.append(self.fill(rng.choice(openers), lang, street=street))
        for topic in topics:
            pool = NOTES[topic][lang]
            for template in rng.sample(pool, k=1 if rng.random() < 0.7 else 2):
                sentences.append(self.fill(template, lang, street=street))
        if rng.random() < 0.3:
            sentences.insert(
                min(1, len(sentences)), self.fill(rng.choice(CONTEXT[lang]), lang, street=street)
            )
        if rng.random() < 0.35:
            sentences.append(self.fill(rng.choice(CLOSERS[lang]), lang, street=street))
        if len(sentences) > 4:
            sentences = [sentences[0], *rng.sample(sentences[1:], k=3)]
        return " ".join(sentences)

    def what_matters_most(self, *, topics: Sequence[str], lang: str, street: str | None = None) -> str:
        """A short answer; sometimes two things, as people often name more than one."""
        first = self._pick(WHAT_MATTERS, topics[0], lang, street)
        if self.rng.random() < 0.35:
            second = self._pick(WHAT_MATTERS, self.rng.choice(list(topics)), lang, street)
            if second != first:
                return f"{first} {second}"
        return first

    def idea(self, *, topics: Sequence[str], lang: str, street: str | None = None) -> str:
        first = self._pick(IDEAS, self.rng.choice(list(topics)), lang, street)
        if self.rng.random() < 0.25:
            second = self._pick(IDEAS, self.rng.choice(list(topics)), lang, street)
            if second != first:
                return f"{first} {second}"
        return first

    def need_detail(self, *, category: str, lang: str) -> str:
        return self._pick(NEED_DETAILS, category, lang, None)
