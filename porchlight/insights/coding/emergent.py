"""Emergent themes: the notes that fit no codebook theme, grouped into candidate new themes.

Like BERTopic, but light: the uncoded notes are embedded (TF-IDF of accent-free words), clustered with
k-means, small groups are dropped (a theme of two notes is an anecdote), and each group is labeled with the
words that distinguish it from the other uncoded notes (class-based TF-IDF). Its quotes are the scrubbed texts
of the notes nearest its centre: never the raw text.
"""

from __future__ import annotations

import numpy as np
from django.db import transaction
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from porchlight.insights.coding.features import STOP_WORDS, fold
from porchlight.insights.coding.selectors import loosely_fitting_items
from porchlight.insights.models import EmergentTheme
from porchlight.outreach.models import Campaign

MIN_ITEMS = 6  # fewer uncoded notes than this: nothing to group
MAX_ITEMS = 20_000  # the most recent uncoded notes considered, to bound time and memory
NOTES_PER_GROUP = 30  # roughly how many notes one candidate theme should hold
MAX_GROUPS = 12
KEYWORDS = 5
KEYWORD_PATTERN = r"(?u)\b[a-z]{3,}\b"  # on folded text: words of three letters or more
QUOTES = 3


def _size_floor(n: int) -> int:
    return max(3, int(n * 0.02))


@transaction.atomic
def emergent_themes_find(*, campaign: Campaign) -> list[EmergentTheme]:
    """Replace the campaign's unpromoted candidate themes with freshly found ones (largest first)."""
    EmergentTheme.objects.filter(campaign=campaign, promoted_to__isnull=True).delete()
    items = list(loosely_fitting_items(campaign).exclude(text="[erased]").order_by("-pk")[:MAX_ITEMS])
    if len(items) < MIN_ITEMS:
        return []
    texts = [i.text for i in items]
    vectorizer = TfidfVectorizer(
        preprocessor=fold,
        token_pattern=KEYWORD_PATTERN,
        stop_words=sorted(STOP_WORDS),
        ngram_range=(1, 2),
        min_df=2,
        sublinear_tf=True,
    )
    try:
        x = vectorizer.fit_transform(texts)
    except ValueError:  # no word occurs twice: no groups to find
        return []
    n_groups = int(min(MAX_GROUPS, max(2, len(items) // NOTES_PER_GROUP)))
    kmeans = KMeans(n_clusters=n_groups, n_init=3, random_state=0).fit(x)
    labels = kmeans.labels_
    distances = kmeans.transform(x)
    label_words = _distinctive_words(texts, labels, n_groups)
    floor = _size_floor(len(items))
    found = []
    for group in range(n_groups):
        members = np.flatnonzero(labels == group)
        if len(members) < floor or not label_words[group]:
            continue
        nearest = members[np.argsort(distances[members, group])]
        quotes = [items[i].text_scrubbed for i in nearest if items[i].text_scrubbed][:QUOTES]
        emergent = EmergentTheme.objects.create(
            campaign=campaign,
            label=", ".join(label_words[group][:3])[:200],
            keywords=label_words[group],
            size=len(members),
            quotes=quotes,
        )
        emergent.items.set([items[i] for i in members])
        found.append(emergent)
    return sorted(found, key=lambda e: -e.size)


def _distinctive_words(texts: list[str], labels: np.ndarray, n_groups: int) -> list[list[str]]:
    """Class-based TF-IDF: a word's frequency in a group, weighed by how rare it is across groups."""
    counter = CountVectorizer(
        preprocessor=fold, token_pattern=KEYWORD_PATTERN, stop_words=sorted(STOP_WORDS), min_df=2
    )
    try:
        counts = counter.fit_transform(texts)
    except ValueError:
        return [[] for _ in range(n_groups)]
    vocabulary = np.array(counter.get_feature_names_out())
    per_group = np.vstack([np.asarray(counts[labels == g].sum(axis=0)).ravel() for g in range(n_groups)])
    tf = per_group / np.maximum(per_group.sum(axis=1, keepdims=True), 1)
    average = per_group.sum() / n_groups
    idf = np.log(1 + average / np.maximum(per_group.sum(axis=0), 1))
    scores = tf * idf
    words = []
    for g in range(n_groups):
        top = np.argsort(-scores[g])[:KEYWORDS]
        words.append([str(vocabulary[i]) for i in top if per_group[g, i] >= 2])
    return words
