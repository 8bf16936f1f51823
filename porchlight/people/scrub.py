"""Remove personal data from resident text before it is quoted anywhere (reports, emergent themes).

`scrub(text, known_names=...)` replaces people's names with "[name]", phone numbers with "[phone]", email
addresses with "[email]" and street addresses with "[address]", leaving the rest of the text as written.

Why each method:
- Phones: `phonenumbers.PhoneNumberMatcher` finds numbers in any US format ("(704) 555-0100", "704.555.0100",
  "+1 704 555 0100") without taking prices, years or counts for phones. It runs at POSSIBLE leniency because
  residents and the demo give 555 numbers, which "valid" would skip. A regex catches 7-digit local numbers.
- Street addresses: a regex for "<number> <street words> <suffix> [unit]" and the Spanish "calle <name>
  <number>" forms. `usaddress` is built to label a string already known to be an address, not to find one in
  a sentence, so it would tag ordinary words as address parts.
- Names: the names we know (the resident's, the worker's), wherever they appear; plus capitalized words
  after cues that introduce a person ("my name is", "Mr.", "me llamo", "mi vecina"...). A capitalized word
  at the start of a sentence is not taken for a name on its own, so "Hope is all we have" stays intact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers

NAME = "[name]"
PHONE = "[phone]"
EMAIL = "[email]"
ADDRESS = "[address]"

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")

# Seven-digit local numbers ("555-0199", "555 0199"): PhoneNumberMatcher needs an area code for the US.
LOCAL_PHONE_RE = re.compile(r"(?<![\d$.,/-])\b[2-9]\d{2}[-. ]\d{4}\b(?![\d,/-]|\.\d)")

STREET_SUFFIXES = (
    "street|st|avenue|ave|av|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|parkway|pkwy|"
    "highway|hwy|circle|cir|trail|trl|terrace|ter|square|sq|crossing|xing|loop|run|row|pike|alley|aly|"
    "freeway|fwy|expressway|expy|point|pt|ridge|commons|walk|path|plaza|plz"
)
# Street words are capitalized (or ordinals like "5th"): lower-case runs are mostly ordinary prose.
_WORD = r"(?-i:[A-Z0-9][\w'’.-]*)"
UNIT = r"(?:,?\s+(?:apt\.?|apartment|unit|suite|ste\.?|#|no\.?|lot|bldg\.?|building|depto\.?|"
UNIT += r"departamento)\s*#?\s*[\w-]+)?"
ADDRESS_RE = re.compile(
    # 123 Main St, 4500 N. Tryon Street Apt 4, 12 Old Pineville Rd #7
    rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+|(?:north|south|east|west)\s+)?"
    rf"(?:{_WORD}\s+){{0,3}}{_WORD}?\s*\b(?:{STREET_SUFFIXES})\b\.?{UNIT}",
    re.IGNORECASE,
)
# "123 main st": lower-case street names are accepted only when short and made of no ordinary words.
ADDRESS_LOWER_RE = re.compile(
    r"\b\d{1,6}\s+(?P<words>(?:[a-z][a-z'’-]+\s+){1,2})"
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct|way|circle|cir)\b\.?" + UNIT,
    re.IGNORECASE,
)
# fmt: off
ORDINARY_WORDS = frozenset({
    "the", "a", "an", "on", "of", "in", "to", "at", "for", "and", "or", "my", "our", "your", "their",
    "down", "up", "from", "by", "hours", "hour", "minutes", "days", "years", "weeks", "months", "blocks",
    "block", "miles", "mile", "kids", "people", "times", "cars", "houses", "more", "other", "new", "old",
    "big", "whole", "same", "this", "that", "these", "those", "all", "way", "each", "every", "lanes",
    "streets"
})
# fmt: on
# Spanish order: "calle Tryon 450", "Avenida Central #12", "en la calle Sugar Creek número 3201".
ADDRESS_ES_RE = re.compile(
    r"\b(?:calle|avenida|av\.|camino|carretera|bulevar)\s+(?:[\w'’.-]+\s+){0,3}?"
    r"(?:n[uú]mero\s+|no\.?\s*|#\s*)?\d{1,6}[A-Za-z]?\b" + UNIT,
    re.IGNORECASE,
)

# A person's name as written in a note: one to three capitalized words (accents, hyphens, O'Neil).
_CAP = r"[A-ZÁÉÍÓÚÑÜ][a-záéíóúñüA-ZÁÉÍÓÚÑÜ'’-]+"
_PERSON = rf"{_CAP}(?:\s+(?:de\s+la\s+|de\s+|del\s+)?{_CAP}){{0,2}}"
# Cues that the next capitalized words are a person. Honorifics take the name that follows whatever it is;
# the relationship cues ("my neighbor", "mi vecina") only a capitalized one, so "my neighbor said" stays.
CUE_RE = re.compile(
    r"(?i:\b(?:my name is|my name's|name is|i am called|call me|me llamo|mi nombre es|se llama|"
    r"my (?:neighbou?r|son|daughter|husband|wife|partner|friend|brother|sister|mom|mother|dad|father|"
    r"grandson|granddaughter|grandmother|grandma|grandfather|grandpa|aunt|uncle|cousin|landlord|"
    r"boyfriend|girlfriend|caseworker|roommate|kid)|"
    r"mi (?:vecin[oa]|hij[oa]|espos[oa]|amig[oa]|herman[oa]|mam[aá]|madre|pap[aá]|padre|abuel[oa]|"
    r"t[ií][oa]|prim[oa]|nieto|nieta|novi[oa]|casero|casera|suegr[oa]|pareja)|"
    r"(?:talked|spoke|talk|speak|ask|asked|hablé|hable) (?:to|with|con)|"
    r"(?-i:Mr|Mrs|Ms|Miss|Mx|Dr|Sr|Sra|Srta|Don|Doña|Dona|Señor|Señora|Señorita)\b\.?)"
    rf"\s+)(?P<name>{_PERSON})"
)
# Words that follow a cue but are not names ("talked to The city", "my son Is", "Mr. Mayor"...).
# fmt: off
NOT_NAMES = frozenset({
    "the", "a", "an", "i", "is", "was", "and", "but", "he", "she", "they", "we", "it", "el", "la", "los",
    "las", "un", "una", "y", "que", "es", "mayor", "council", "city", "police", "officer", "alcalde",
    "policía", "policia", "ciudad"
})
# fmt: on


def _name_patterns(known_names: Iterable[str]) -> list[re.Pattern[str]]:
    """Longest names first, so "Maria Lopez" goes before "Maria" leaves "[name] Lopez"."""
    full: set[str] = set()
    parts: set[str] = set()
    for name in known_names:
        name = " ".join((name or "").split())
        if not name:
            continue
        full.add(name)
        parts.update(p for p in re.split(r"[\s-]+", name) if len(p.strip(".'’")) >= 2)
    patterns = []
    for name in sorted(full, key=len, reverse=True):
        # A full name is unmistakable: match it however it is capitalized.
        patterns.append(re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE))
    for part in sorted(parts - full, key=len, reverse=True):
        # A single part only when capitalized as a name: "Rose" is a name, "rose" (the rent rose) is not.
        cap = part[:1].upper() + part[1:]
        patterns.append(re.compile(rf"(?<!\w){re.escape(cap)}(?!\w)"))
    return patterns


def _lower_address(m: re.Match[str]) -> str:
    if any(w.lower() in ORDINARY_WORDS for w in m.group("words").split()):
        return m.group(0)
    return ADDRESS


def _phones(text: str) -> str:
    spans = [
        (m.start, m.end)
        for m in phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.POSSIBLE)
    ]
    for start, end in reversed(spans):
        text = text[:start] + PHONE + text[end:]
    return LOCAL_PHONE_RE.sub(PHONE, text)


def _cued_names(text: str) -> str:
    def replace(m: re.Match[str]) -> str:
        words = m.group("name").split()
        # Stop at a capitalized word that is not a name ("talked to The city", "Mr. Mayor").
        kept: list[str] = []
        for w in words:
            if w[:1].isupper() and w.lower() in NOT_NAMES:
                break
            kept.append(w)
        while kept and not kept[-1][:1].isupper():  # a dangling "de"/"del"
            kept.pop()
        if not kept:
            return m.group(0)
        name = " ".join(kept)
        head = m.group(0)[: m.start("name") - m.start(0)]
        tail = m.group("name")[len(name) :]
        return head + NAME + tail

    return CUE_RE.sub(replace, text)


def scrub(text: str, *, known_names: Iterable[str] = ()) -> str:
    """The text with names, phone numbers, emails and street addresses replaced by placeholders."""
    if not text:
        return text or ""
    # Emails first: their digits and words must not be taken for phones or names.
    text = EMAIL_RE.sub(EMAIL, text)
    # Addresses before phones, so a house number next to a ZIP code is not read as part of a phone number.
    text = ADDRESS_RE.sub(ADDRESS, text)
    text = ADDRESS_LOWER_RE.sub(_lower_address, text)
    text = ADDRESS_ES_RE.sub(ADDRESS, text)
    text = _phones(text)
    for pattern in _name_patterns(known_names):
        text = pattern.sub(NAME, text)
    return _cued_names(text)
