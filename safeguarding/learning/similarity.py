"""Text similarity between recommendations: TF-IDF vectors and cosine similarity (scikit-learn).

Pure computation, no database: `similar_documents` takes texts grouped by review and returns, for
each text, the most similar texts of OTHER groups, each with its score (cosine similarity, 0 to 1)
and the terms that the two texts share, most telling first. Nothing is downloaded: the vocabulary is
built from the texts themselves, words are reduced to their stems with the Snowball English stemmer
(so "sharing", "shared" and "shares" count as one term), and shared terms are shown as a word one of
the two texts uses.

Work is done in blocks of rows of the sparse matrix, so memory grows with the number of texts, not
with its square (docs/decisions/0036).
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

# Words every recommendation uses, which say nothing about what it is about.
DOMAIN_STOP_WORDS = frozenset(
    {
        "should",
        "must",
        "ensure",
        "ensures",
        "review",
        "reviews",
        "recommend",
        "recommends",
        "recommendation",
        "recommendations",
        "make",
        "sure",
        "including",
        "includes",
        "every",
        "also",
        "fictional",
        "testborough",
    }
)
_STOP = ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
BLOCK_ROWS = 500
# At most this many cells in a block's dense transpose (8 bytes each: 160 MB).
DENSE_BLOCK_CELLS = 20_000_000

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def words(text: str) -> list[tuple[str, str]]:
    """(stem, word) for each word of the text that can carry meaning: lower case, three letters or
    more, not a stop word. Markdown punctuation and numbers are dropped."""
    found = []
    for match in _WORD.finditer(text.lower()):
        word = match.group(0).split("'")[0]
        if len(word) >= 3 and word not in _STOP:
            found.append((_stem(word), word))
    return found


@dataclass(frozen=True)
class Document:
    key: int  # the recommendation's id
    group: int  # its review's id: documents of one group are never compared
    text: str


@dataclass(frozen=True)
class Match:
    key: int
    other: int
    score: float
    shared_terms: tuple[str, ...]


def _stems_of(tokens: list[tuple[str, str]]) -> list[str]:
    return [stem for stem, _ in tokens]


def _surface_forms(tokens: list[list[tuple[str, str]]]) -> list[dict[str, str]]:
    """For each document, the word it most often uses for each stem (the first such, on a tie)."""
    forms = []
    for document in tokens:
        counts: dict[str, Counter[str]] = {}
        for stem, word in document:
            counts.setdefault(stem, Counter())[word] += 1
        forms.append({stem: counter.most_common(1)[0][0] for stem, counter in counts.items()})
    return forms


def similar_documents(
    documents: Sequence[Document], *, limit: int = 5, threshold: float = 0.0, terms: int = 5
) -> list[Match]:
    """For each document, up to `limit` documents of other groups scoring at least `threshold` (and
    above 0), best first, each with up to `terms` shared terms. Deterministic for the same input."""
    if len(documents) < 2:
        return []
    tokens = [words(document.text) for document in documents]  # each text read once
    vectorizer = TfidfVectorizer(analyzer=_stems_of, sublinear_tf=True, norm="l2", dtype=np.float64)
    try:
        matrix = vectorizer.fit_transform(tokens).tocsr()
    except ValueError:  # no document has a word that carries meaning
        return []
    vocabulary = vectorizer.get_feature_names_out()
    groups = np.array([document.group for document in documents])
    forms = _surface_forms(tokens)
    rows = _RowWeights(matrix)
    # Rows per block: the block's transpose is made dense (vocabulary x rows), so fewer rows for a
    # larger vocabulary; a sparse matrix times a dense one is far faster than sparse times sparse.
    block_rows = max(50, min(BLOCK_ROWS, DENSE_BLOCK_CELLS // max(1, len(vocabulary))))
    floor = max(threshold, 1e-9)
    matches: list[Match] = []
    for start in range(0, matrix.shape[0], block_rows):
        block = matrix[start : start + block_rows]
        scores = np.ascontiguousarray(np.asarray(matrix @ block.T.toarray()).T)  # block x all documents
        for offset, row in enumerate(scores):
            index = start + offset
            row[groups == groups[index]] = 0.0  # never the same review (nor the document itself)
            candidates = np.flatnonzero(row >= floor)
            if candidates.size == 0:
                continue
            if candidates.size > limit:
                # Only those scoring at least the limit-th best can be chosen (ties kept, so the choice
                # below does not depend on how the partition fell).
                cut = np.partition(row[candidates], candidates.size - limit)[candidates.size - limit]
                candidates = candidates[row[candidates] >= cut]
            # Best first; on equal scores, the earlier document first, so the order never wobbles.
            best = candidates[np.lexsort((candidates, -row[candidates]))][:limit]
            for other in best:
                matches.append(
                    Match(
                        key=documents[index].key,
                        other=documents[int(other)].key,
                        score=round(float(row[other]), 4),
                        shared_terms=_shared_terms(rows, vocabulary, forms, index, int(other), terms),
                    )
                )
    return matches


class _RowWeights:
    """Each row of the CSR matrix as {column: weight}, made when first asked for (slicing a scipy
    matrix row by row costs far more than reading its arrays)."""

    def __init__(self, matrix: Any) -> None:
        self.indptr, self.indices, self.data = matrix.indptr, matrix.indices, matrix.data
        self.made: dict[int, dict[int, float]] = {}

    def __getitem__(self, row: int) -> dict[int, float]:
        found = self.made.get(row)
        if found is None:
            start, end = self.indptr[row], self.indptr[row + 1]
            found = dict(zip(self.indices[start:end].tolist(), self.data[start:end].tolist(), strict=True))
            self.made[row] = found
        return found


def _shared_terms(
    rows: _RowWeights,
    vocabulary: Sequence[str],
    forms: list[dict[str, str]],
    first: int,
    second: int,
    limit: int,
) -> tuple[str, ...]:
    """The stems both documents hold, by their contribution to the score, as words the first uses."""
    weights_a, weights_b = rows[first], rows[second]
    contributions = [
        (weight * weights_b[column], column) for column, weight in weights_a.items() if column in weights_b
    ]
    contributions.sort(key=lambda item: (-item[0], vocabulary[item[1]]))
    chosen = []
    for _, column in contributions[:limit]:
        stem = vocabulary[column]
        chosen.append(forms[first].get(stem) or forms[second].get(stem) or stem)
    return tuple(chosen)


def score_in_words(score: float) -> str:
    """How similar, in plain English, for people who do not read cosine similarities."""
    if score >= 0.6:
        return "Very similar"
    if score >= 0.4:
        return "Similar"
    if score >= 0.25:
        return "Partly similar"
    return "A little similar"


def fingerprint_parts(documents: Iterable[Document]) -> list[str]:
    """What the result depends on, in a stable order (for skipping a recompute that would change nothing)."""
    return [f"{d.key}:{d.group}:{d.text}" for d in sorted(documents, key=lambda d: d.key)]
