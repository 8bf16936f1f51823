"""What the demo builders share: the seeded random sources, progress output and what earlier steps made."""

from __future__ import annotations

import datetime as dt
import random
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from django.db import models
from django.utils import timezone


@dataclass
class BuildContext:
    seed: int
    n_addresses: int
    n_residents: int
    n_conversations: int
    say: Callable[[str], None] = print
    today: dt.date = field(default_factory=timezone.localdate)
    started: float = field(default_factory=time.monotonic)
    rng: random.Random = field(init=False)
    np_rng: np.random.Generator = field(init=False)
    # Filled in by the builders, in order: accounts, places, people, outreach.
    teams: dict = field(default_factory=dict)
    users: list = field(default_factory=list)
    programs: list = field(default_factory=list)
    npa_ids: list[int] = field(default_factory=list)
    npa_weights: list[float] = field(default_factory=list)
    address_rows: list = field(default_factory=list)
    address_npa: dict[int, int] = field(default_factory=dict)
    address_street: dict[int, str] = field(default_factory=dict)
    streets: list[str] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    residents: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.np_rng = np.random.default_rng(self.seed)

    def progress(self, message: str) -> None:
        self.say(f"[{time.monotonic() - self.started:6.1f}s] {message}")

    def uuid4(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def ascii_slug(text: str) -> str:
    """'José María' -> 'josemaria' (for usernames and email local parts)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in plain.lower() if ch.isalnum())


@contextmanager
def timestamps_as_given(model: type[models.Model], *names: str) -> Iterator[None]:
    """Let bulk_create store the given created_at/updated_at values instead of "now".

    The demo describes 2017; auto_now(_add) would stamp every row with today's date. Only the demo loader
    does this, in one process, for the duration of one bulk insert.
    """
    fields: list[models.DateField] = []
    for name in names:
        date_field = model._meta.get_field(name)
        if not isinstance(date_field, models.DateField):
            raise TypeError(f"{model.__name__}.{name} is not a date field")
        fields.append(date_field)
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
