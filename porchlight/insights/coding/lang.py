"""Which language a resident's note is in, when the worker did not record it.

Detection is restricted to the languages the city works in (people.models.Language), which makes short notes
far more reliable than an open-ended guess, and runs offline (lingua ships its models in the package).
"""

from __future__ import annotations

import functools
import logging

from porchlight.people.models import Language

logger = logging.getLogger(__name__)

# Below this many letters a guess is noise: leave the language empty rather than invent one.
MIN_LETTERS = 8


@functools.cache
def _detector():  # noqa: ANN202 - lingua's detector type, imported lazily
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = []
    for value in Language.values:
        code = getattr(IsoCode639_1, value.upper(), None)
        if code is not None:
            codes.append(code)
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the city language `text` is most likely in, or "" when it cannot tell."""
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return ""
    try:
        found = _detector().detect_language_of(text)
    except ImportError:  # pragma: no cover - lingua is a dependency; a broken install should not stop coding
        logger.warning("lingua-language-detector is not installed: languages are not detected")
        return ""
    return found.iso_code_639_1.name.lower() if found is not None else ""


def detect_languages(texts: list[str]) -> list[str]:
    """detect_language for many texts (lingua parallelizes the batch)."""
    return [detect_language(t) for t in texts]
