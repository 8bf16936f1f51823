"""The theme coder: gives each note zero, one or several codebook themes, with a confidence.

How it works (no model download, scikit-learn only by default):

1. Zero-shot. Each theme becomes a prototype built from its name, description, Spanish name and description,
   expanded with the families of related English and Spanish words its text mentions (lexicon.py). Notes and
   prototypes are TF-IDF vectors of words and of character 3-5-grams on accent-free text (character n-grams
   catch plurals, verb forms and English/Spanish cognates such as "community"/"comunidad"). A note's score
   for a theme is its cosine similarity with the prototype. The features live in features.py.
2. Calibration. Raw similarities are not comparable across themes (a long description matches more), so each
   theme's scores are standardized against the campaign's own notes (median and spread): a note is coded to a
   theme when it stands out for that theme, not when it merely shares a common word.
3. Examples. Notes analysts coded or accepted (minus rejected codes) move the prototypes towards them
   (Rocchio) and train one logistic regression per theme on the same features; its probability is blended
   with the zero-shot confidence, more so as examples accumulate.
4. Multi-label. A note gets its best theme when that clears the threshold, plus any other theme that clears it
   and scores close to the best.

The optional "minilm" model (setting PORCHLIGHT_THEME_MODEL) replaces the TF-IDF features with sentence
embeddings from the packaged all-MiniLM-L6-v2 model; everything else is the same.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from django.conf import settings
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize as l2_normalize

from porchlight.insights.coding.features import Featurizer, LexiconScorer, expansion, make_featurizer

if TYPE_CHECKING:
    from porchlight.outreach.models import Campaign

logger = logging.getLogger(__name__)

# A code is kept when its confidence reaches this (see the docs for how it was chosen).
THRESHOLD = 0.5
# Standardized score at which confidence is 0.5, and how steeply confidence rises around it.
Z_AT_THRESHOLD = 1.5
Z_SLOPE = 1.6
# A second theme is kept when it clears the threshold and its standardized score is this close to the best.
RELATIVE_TO_BEST = 0.75
# How far a theme's own words outweigh its lexicon expansion in the prototype.
EXPANSION_WEIGHT = 0.45
# Examples needed for the supervised part to weigh as much as the zero-shot part.
EXAMPLES_HALF_WEIGHT = 8
ROCCHIO_HALF_WEIGHT = 10
# Self-training on the campaign's notes: only with this many notes, from notes this far above the threshold,
# weighing this much against the zero-shot score.
SELF_TRAINING = True
SELF_TRAINING_MIN_NOTES = 200
SELF_TRAINING_MARGIN = 1.0
SELF_TRAINING_WEIGHT = 0.5
# The word-count evidence (features.LexiconScorer): on, and the factor that puts its score on the z-scale (one
# own word in a nine-word note is about z = 1.7).
LEXICON = True
LEXICON_GAIN = 6.0
# Where each theme's background (notes not about it) is centred; see background().
BACKGROUND_QUANTILE = 0.5
# Notes used to fit the vocabulary and to calibrate.
FIT_SAMPLE = 5000

@dataclass
class ThemeSpec:
    """What the coder knows about one theme."""

    id: int
    name: str
    description: str = ""
    name_es: str = ""
    description_es: str = ""
    parent_text: str = ""

    @property
    def text(self) -> str:
        # The name counts twice: it is the most precise words the codebook has.
        parts = [self.name, self.name, self.description, self.name_es, self.description_es, self.parent_text]
        return " . ".join(p for p in parts if p)


@dataclass
class Example:
    """A note an analyst coded: the themes it has (positives) and the ones it was refused (negatives)."""

    text: str
    positives: set[int] = field(default_factory=set)
    negatives: set[int] = field(default_factory=set)


def _self_train(
    themes: Sequence[ThemeSpec],
    x: sparse.csr_matrix | np.ndarray,
    z: np.ndarray,
    fitted: dict[int, tuple[LogisticRegression, float]],
) -> dict[int, tuple[LogisticRegression, float]]:
    """Learn from the campaign's own notes: the notes the zero-shot part is surest about become pseudo-
    examples, and a classifier per theme learns the other words those notes use ("violence" beside
    "shooting"). Themes with enough analysts' examples keep their own classifier."""
    best = z.argmax(axis=1)
    fitted = dict(fitted)
    margin = z.max(axis=1)
    sure = margin >= Z_AT_THRESHOLD + SELF_TRAINING_MARGIN
    for k, theme in enumerate(themes):
        if theme.id in fitted:
            continue
        positive = sure & (best == k)
        negative = sure & (best != k)
        if positive.sum() < 3 or negative.sum() < 3:
            continue
        rows = np.flatnonzero(positive | negative)
        model_k = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
        model_k.fit(x[rows], positive[rows].astype(int))
        fitted[theme.id] = (model_k, SELF_TRAINING_WEIGHT)
    return fitted


def background(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each theme's score among notes NOT about it: its centre and spread, per theme.

    A theme can be in a third of a campaign's notes (housing was, in Charlotte), so the standard deviation
    over all notes would count its own notes as background and code too few. The centre is the
    BACKGROUND_QUANTILE of the scores (background for any theme in fewer than that share of notes) and the
    spread is measured below it, mirrored.
    """
    center = np.quantile(raw, BACKGROUND_QUANTILE, axis=0)
    below = np.where(raw <= center, raw - center, np.nan)
    spread = np.sqrt(np.nanmean(below**2, axis=0))
    return center, np.nan_to_num(spread, nan=1e-3)


def _rows(matrix: np.ndarray | sparse.csr_matrix) -> np.ndarray | sparse.csr_matrix:
    return l2_normalize(matrix, norm="l2", axis=1)


def _dense(matrix: np.ndarray | sparse.spmatrix) -> np.ndarray:
    return np.asarray(matrix) if isinstance(matrix, np.ndarray) else matrix.toarray()


def _zero_shot_prototypes(
    featurizer: Featurizer,
    theme_texts: list[str],
    expansions: list[list[tuple[str, float]]],
    family_texts: list[str],
) -> np.ndarray:
    """Each theme's vector: its own words plus, lighter, the lexicon families its text mentions."""
    own = _dense(_rows(featurizer.transform(theme_texts)))
    prototypes = own.copy()
    if family_texts:
        family_vectors = _dense(_rows(featurizer.transform(family_texts)))
        index = {text: i for i, text in enumerate(family_texts)}
        for k, found in enumerate(expansions):
            for text, weight in found:
                prototypes[k] += EXPANSION_WEIGHT * weight * family_vectors[index[text]]
    return _dense(_rows(prototypes))


def _learn_from_examples(
    featurizer: Featurizer, themes: list[ThemeSpec], examples: Sequence[Example], prototypes: np.ndarray
) -> tuple[np.ndarray, dict[int, tuple[LogisticRegression, float]]]:
    """Analysts' examples move each prototype towards its notes (Rocchio) and train a classifier per theme
    that has both positive and negative examples. Returns the prototypes and {theme id: (model, weight)}."""
    fitted: dict[int, tuple[LogisticRegression, float]] = {}
    if not examples:
        return prototypes, fitted
    x_examples = _rows(featurizer.transform([e.text for e in examples]))
    x_dense = _dense(x_examples)
    for k, theme in enumerate(themes):
        positive = np.array([theme.id in e.positives for e in examples])
        n_pos = int(positive.sum())
        if n_pos:
            # Rocchio: move the prototype towards the notes analysts put in this theme.
            centroid = x_dense[positive].mean(axis=0)
            weight = n_pos / (n_pos + ROCCHIO_HALF_WEIGHT)
            prototypes[k] = (1 - weight) * prototypes[k] + weight * centroid / (
                np.linalg.norm(centroid) or 1.0
            )
        if n_pos and n_pos < len(examples):
            model_k = LogisticRegression(C=10.0, class_weight="balanced", max_iter=1000)
            model_k.fit(x_examples, positive.astype(int))
            fitted[theme.id] = (model_k, min(0.8, n_pos / (n_pos + EXAMPLES_HALF_WEIGHT)))
    return _dense(_rows(prototypes)), fitted


def _calibrate(
    featurizer: Featurizer,
    themes: list[ThemeSpec],
    calibration: list[str],
    prototypes: np.ndarray,
    fitted: dict[int, tuple[LogisticRegression, float]],
) -> tuple[np.ndarray, np.ndarray, dict[int, tuple[LogisticRegression, float, float, float]]]:
    """Standardize every theme's scores on the calibration notes: each theme's centre and spread, and each
    classifier's (self-trained ones included) with the median and spread of its margins."""
    x_calibration = _rows(featurizer.transform(calibration))
    raw = _dense(x_calibration @ prototypes.T)
    center, spread = background(raw)
    floor = max(float(np.median(spread)), 1e-3) if len(calibration) >= 30 else 0.08
    spread = np.maximum(spread, floor * 0.5)
    if SELF_TRAINING and len(calibration) >= SELF_TRAINING_MIN_NOTES:
        fitted = _self_train(themes, x_calibration, (raw - center) / spread, fitted)
    classifiers: dict[int, tuple[LogisticRegression, float, float, float]] = {}
    # The classifiers' margins are standardized on the same notes, so both parts speak in z-scores.
    for theme_id, (model_k, weight) in fitted.items():
        margin = model_k.decision_function(x_calibration)
        classifiers[theme_id] = (model_k, weight, float(np.median(margin)), float(max(margin.std(), 1e-3)))
    return center, spread, classifiers


def _fingerprint(theme_texts: list[str], examples: Sequence[Example]) -> str:
    """A short digest of the codebook and examples (not security): part of the coder's name."""
    fingerprint = (theme_texts, [(e.text, sorted(e.positives), sorted(e.negatives)) for e in examples])
    return hashlib.sha1(repr(fingerprint).encode(), usedforsecurity=False).hexdigest()[:10]


class ThemeCoder:
    """Codes notes into a fixed set of themes. Build it with `ThemeCoder.build` or `get_coder(campaign)`."""

    threshold = THRESHOLD

    def __init__(
        self,
        *,
        themes: Sequence[ThemeSpec],
        featurizer: Featurizer,
        prototypes: np.ndarray,
        center: np.ndarray,
        spread: np.ndarray,
        classifiers: dict[int, tuple[LogisticRegression, float, float, float]],
        name: str,
        lexicon: LexiconScorer | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.themes = list(themes)
        self.theme_ids = [t.id for t in self.themes]
        self.featurizer = featurizer
        self.prototypes = prototypes
        self.center = center
        self.spread = spread
        self.classifiers = classifiers
        self.name = name

    @classmethod
    def build(
        cls,
        *,
        themes: Sequence[ThemeSpec],
        corpus: Sequence[str] = (),
        examples: Sequence[Example] = (),
        model: str | None = None,
    ) -> ThemeCoder:
        """Fit on the campaign's notes (`corpus`, unlabeled: for vocabulary and calibration) and examples."""
        themes = list(themes)
        featurizer = make_featurizer(model)
        theme_texts = [t.text for t in themes]
        # The lexicon helps word features only; embeddings already know that "rent" is about housing.
        use_lexicon = featurizer.name == "tfidf"
        expansions = [expansion(t) if use_lexicon else [] for t in theme_texts]
        family_texts = sorted({text for found in expansions for text, _ in found})
        # The vocabulary and document frequencies settle long before 5,000 notes; fitting on more only costs.
        featurizer.fit(list(corpus)[:FIT_SAMPLE] + [e.text for e in examples] + theme_texts + family_texts)
        if not themes:
            return cls(
                themes=[],
                featurizer=featurizer,
                prototypes=np.zeros((0, 1), dtype=np.float32),
                center=np.zeros(0),
                spread=np.ones(0),
                classifiers={},
                name=f"{featurizer.name}:empty",
            )
        prototypes = _zero_shot_prototypes(featurizer, theme_texts, expansions, family_texts)
        prototypes, fitted = _learn_from_examples(featurizer, themes, examples, prototypes)
        # Calibration on the campaign's own notes (or on the theme texts when there are none yet).
        calibration = list(corpus)[:FIT_SAMPLE] or theme_texts + [e.text for e in examples]
        center, spread, classifiers = _calibrate(featurizer, themes, calibration, prototypes, fitted)
        return cls(
            themes=themes,
            featurizer=featurizer,
            prototypes=prototypes,
            center=center,
            spread=spread,
            classifiers=classifiers,
            name=f"{featurizer.name}:{_fingerprint(theme_texts, examples)}",
            lexicon=LexiconScorer(theme_texts, expansions) if use_lexicon and LEXICON else None,
        )

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Confidence (0-1) of every theme for every text: an array of len(texts) x len(themes)."""
        if not texts or not self.themes:
            return np.zeros((len(texts), len(self.themes)), dtype=np.float32)
        x = _rows(self.featurizer.transform(texts))
        raw = _dense(x @ self.prototypes.T)
        z = (raw - self.center) / self.spread
        if self.lexicon is not None:
            z = np.maximum(z, self.lexicon.scores(texts) * LEXICON_GAIN)
        for k, theme_id in enumerate(self.theme_ids):
            if theme_id in self.classifiers:
                model_k, weight, center, spread = self.classifiers[theme_id]
                z_examples = (model_k.decision_function(x) - center) / spread
                z[:, k] = (1 - weight) * z[:, k] + weight * z_examples
        confidence = 1.0 / (1.0 + np.exp(-Z_SLOPE * (z - Z_AT_THRESHOLD)))
        # A note sharing no word with a theme is not about it, whatever the calibration says.
        confidence[raw <= 0] = 0.0
        return confidence

    def predict(self, texts: list[str], languages: list[str] | None = None) -> list[list[tuple[int, float]]]:
        """For each text, the (theme id, confidence) pairs it is coded to, best first.

        `languages` is accepted for coders that treat languages differently; this one represents every
        language in the same space (accent-free character n-grams and the bilingual lexicon).
        """
        confidence = self.scores(texts)
        results: list[list[tuple[int, float]]] = []
        for row in confidence:
            if not len(row):
                results.append([])
                continue
            best = float(row.max())
            if best < self.threshold:
                results.append([])
                continue
            keep = [
                (self.theme_ids[k], round(float(c), 4))
                for k, c in enumerate(row)
                if c >= self.threshold and c >= RELATIVE_TO_BEST * best
            ]
            results.append(sorted(keep, key=lambda pair: -pair[1]))
        return results


# --- The campaign's coder ---

# Notes used to fit the vocabulary and calibrate a campaign's coder: enough to be stable, bounded for speed.
CORPUS_SAMPLE = 20_000
_cache: dict[int, tuple[tuple, ThemeCoder]] = {}


def _codebook_version(campaign: Campaign) -> tuple:
    """Changes whenever the codebook, the analysts' decisions or the model setting change."""
    from django.db.models import Count, Max

    from porchlight.insights.models import TextItem, Theme, ThemeCode

    themes = Theme.objects.filter(campaign=campaign, is_active=True).aggregate(n=Count("id"), last=Max("id"))
    edits = [
        (t.pk, t.name, t.description, t.name_es, t.description_es, t.parent_id)
        for t in Theme.objects.filter(campaign=campaign, is_active=True).order_by("pk")
    ]
    decisions = (
        ThemeCode.objects.filter(item__campaign=campaign)
        .exclude(source=ThemeCode.Source.AUTO, decision="")
        .aggregate(n=Count("id"), last=Max("decided_at"), last_id=Max("id"))
    )
    # The vocabulary and calibration are refitted each time the campaign's notes double.
    size_bucket = TextItem.objects.filter(campaign=campaign).count().bit_length()
    return (
        themes["n"],
        hash(tuple(edits)),
        tuple(decisions.values()),
        size_bucket,
        getattr(settings, "PORCHLIGHT_THEME_MODEL", ""),
    )


def campaign_examples(campaign: Campaign) -> list[Example]:
    """Notes analysts coded: analyst and accepted automatic codes are positives, rejected ones negatives."""
    from porchlight.insights.models import ThemeCode

    by_item: dict[int, Example] = {}
    decided = (
        ThemeCode.objects.filter(item__campaign=campaign, theme__is_active=True)
        .exclude(source=ThemeCode.Source.AUTO, decision="")
        .select_related("item")
        .order_by("item_id", "id")
    )
    for code in decided:
        example = by_item.setdefault(code.item_id, Example(text=code.item.text))
        if code.decision == ThemeCode.Decision.REJECTED:
            example.negatives.add(code.theme_id)
        else:
            example.positives.add(code.theme_id)
    return [e for e in by_item.values() if e.text]


def campaign_theme_specs(campaign: Campaign) -> list[ThemeSpec]:
    from porchlight.insights.models import Theme

    specs = []
    for theme in Theme.objects.filter(campaign=campaign, is_active=True).select_related("parent"):
        parent = theme.parent
        specs.append(
            ThemeSpec(
                id=theme.pk,
                name=theme.name,
                description=theme.description,
                name_es=theme.name_es,
                description_es=theme.description_es,
                parent_text=f"{parent.name} {parent.name_es}".strip() if parent else "",
            )
        )
    return specs


def get_coder(campaign: Campaign) -> ThemeCoder:
    """The coder for a campaign's current codebook and decisions, rebuilt only when they change."""
    from porchlight.insights.models import TextItem

    version = _codebook_version(campaign)
    cached = _cache.get(campaign.pk)
    if cached is not None and cached[0] == version:
        return cached[1]
    texts = TextItem.objects.filter(campaign=campaign).order_by("id").values_list("text", flat=True)
    corpus = list(texts[:CORPUS_SAMPLE])
    coder = ThemeCoder.build(
        themes=campaign_theme_specs(campaign), corpus=corpus, examples=campaign_examples(campaign)
    )
    _cache[campaign.pk] = (version, coder)
    return coder
