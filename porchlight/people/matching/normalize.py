"""Normalizing what identifies a resident, so that records written differently compare equal.

Every feature the matching model compares is computed here, once, in Python: the batch (DuckDB) and the
one-record path (the registration form, the CSV import) read the same normalized record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import usaddress
from nicknames import NickNamer
from unidecode import unidecode

# Generational suffixes: "Robert Smith Jr" and "Robert Smith Sr" at one door are two people.
SUFFIXES = {"jr": "jr", "junior": "jr", "sr": "sr", "senior": "sr", "ii": "ii", "iii": "iii", "iv": "iv"}
# USPS street suffix and directional abbreviations (Publication 28, the common ones).
STREET_TYPES = {
    "road": "rd",
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "drive": "dr",
    "lane": "ln",
    "boulevard": "blvd",
    "court": "ct",
    "place": "pl",
    "circle": "cir",
    "parkway": "pkwy",
    "highway": "hwy",
    "terrace": "ter",
    "trail": "trl",
    "square": "sq",
    "crossing": "xing",
    "expressway": "expy",
    "point": "pt",
    "ridge": "rdg",
    "run": "run",
    "way": "way",
    "alley": "aly",
    "heights": "hts",
    "center": "ctr",
    "cove": "cv",
    "creek": "crk",
    "grove": "grv",
    "hollow": "holw",
}
DIRECTIONS = {
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
}
UNIT_WORDS = re.compile(r"^(apt|apartment|unit|suite|ste|no|number|#)\.?\s*", re.I)
NON_ALPHA = re.compile(r"[^a-z ]+")


@lru_cache(maxsize=1)
def _nicknamer() -> NickNamer:
    return NickNamer()


def name_clean(raw: str) -> str:
    """Lower-case ASCII letters and single spaces: "José" → "jose", "O'Brien" → "obrien"."""
    text = unidecode(raw or "").lower().replace("-", " ")
    text = NON_ALPHA.sub("", text.replace("'", "").replace("’", ""))
    return " ".join(text.split())


def name_split_suffix(raw: str) -> tuple[str, str]:
    """A cleaned name without its generational suffix, and the suffix ("smith jr" → ("smith", "jr"))."""
    words = name_clean(raw).split()
    suffix = ""
    while words and words[-1] in SUFFIXES and len(words) > 1:
        suffix = SUFFIXES[words.pop()]
    return " ".join(words), suffix


@lru_cache(maxsize=20_000)
def first_name_variants(first: str) -> tuple[str, ...]:
    """The name and the names it is a nickname of or has as nicknames (hand-curated English pairs)."""
    if not first:
        return ()
    namer = _nicknamer()
    variants = {first} | set(namer.canonicals_of(first)) | set(namer.nicknames_of(first))
    return tuple(sorted(variants))


def street_key(street: str, unit: str = "") -> tuple[str, str]:
    """A door's street and unit in one spelling: "300 Pine Road" and "300 pine rd" → ("300 pine rd", "")."""
    text = unidecode(street or "").strip()
    if not text:
        return "", ""
    try:
        tagged, _kind = usaddress.tag(text)
    except usaddress.RepeatedLabelError:
        tagged = {}
    parts: list[str] = []
    tag_unit = ""
    if tagged:
        for label, value in tagged.items():
            word = " ".join(re.sub(r"[^0-9a-z ]", " ", value.lower()).split())
            digits = re.sub(r"[^0-9a-z]", "", value.lower())
            if label == "AddressNumber":
                parts.append(digits)
            elif label in ("StreetNamePreDirectional", "StreetNamePostDirectional"):
                parts.append(DIRECTIONS.get(word, word))
            elif label in ("StreetNamePostType", "StreetNamePreType"):
                parts.append(STREET_TYPES.get(word, word))
            elif label == "StreetName":
                parts.append(word)
            elif label == "OccupancyIdentifier":
                tag_unit = digits
    if not parts:
        parts = [" ".join(re.sub(r"[^0-9a-z ]", " ", text.lower()).split())]
    unit_text = UNIT_WORDS.sub("", (unit or "").strip().lower())
    unit_key = re.sub(r"[^0-9a-z]", "", unit_text) or tag_unit
    return " ".join(p for p in parts if p), unit_key


@dataclass(frozen=True, slots=True)
class MatchRecord:
    """One resident (stored or about to be) in the form the model compares."""

    unique_id: int
    first_name: str = ""
    first_variants: tuple[str, ...] = ()
    last_name: str = ""
    last_parts: tuple[str, ...] = ()
    suffix: str = ""
    street: str = ""
    unit: str = ""
    zip_code: str = ""
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    age_range: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def as_row(self) -> dict:
        """The record as one row of the DuckDB table (empty values become NULL, which the model skips)."""
        return {
            "unique_id": self.unique_id,
            "first_name": self.first_name or None,
            "first_variants": list(self.first_variants) or None,
            "last_name": self.last_name or None,
            "last_parts": list(self.last_parts) or None,
            "suffix": self.suffix or None,
            "street": self.street or None,
            "door": f"{self.street}|{self.unit}" if self.street else None,
            "zip_code": self.zip_code or None,
            "phones": list(self.phones) or None,
            "emails": list(self.emails) or None,
            "age_range": self.age_range or None,
            # Scalar keys for blocking (DuckDB blocks on equality of columns).
            "phone1": self.phones[0] if self.phones else None,
            "email1": self.emails[0] if self.emails else None,
            "last1": self.last_parts[0] if self.last_parts else None,
            "last2": self.last_parts[-1] if self.last_parts else None,
        }


def match_record(
    *,
    unique_id: int,
    first_name: str = "",
    last_name: str = "",
    street: str = "",
    unit: str = "",
    zip_code: str = "",
    phones: tuple[str, ...] | list[str] = (),
    emails: tuple[str, ...] | list[str] = (),
    age_range: str = "",
) -> MatchRecord:
    """Build the normalized record from raw values (phones already E.164, emails already lower-case)."""
    first, first_suffix = name_split_suffix(first_name)
    last, last_suffix = name_split_suffix(last_name)
    first = first.split()[0] if first else ""  # a middle name or initial typed with the first name
    street_norm, unit_norm = street_key(street, unit)
    return MatchRecord(
        unique_id=unique_id,
        first_name=first,
        first_variants=first_name_variants(first),
        last_name=last.replace(" ", ""),
        last_parts=tuple(last.split()),
        suffix=last_suffix or first_suffix,
        street=street_norm,
        unit=unit_norm,
        zip_code=(zip_code or "")[:5],
        phones=tuple(phones),
        emails=tuple(e.lower() for e in emails),
        age_range=age_range,
    )
