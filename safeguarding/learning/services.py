"""Writes of learning across reviews: loading the fictional training reviews, and working out the
similar recommendations in other reviews (docs/decisions/0036).

`similarities_recompute` rewrites every `Similarity` from the recommendations of published reviews.
It is queued (`tasks.similarities_recompute_task`) whenever a review or recommendation changes, and
skips the work when nothing it reads has changed since the last run (a status change by the tracker,
say). When the result differs, the public pages that show it are dropped from the page cache.
"""

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from safeguarding.core.content_loading import ChangeSummary
from safeguarding.core.page_cache import content_changed_on_commit
from safeguarding.partnership.models import Board
from safeguarding.reviews.models import Recommendation
from safeguarding.reviews.services import review_packs_load

from .models import Similarity, SimilarityRun
from .similarity import Document, fingerprint_parts, similar_documents

logger = logging.getLogger(__name__)

# Bump when the way similarities are computed changes, so the next run recomputes.
ALGORITHM_VERSION = "tfidf-snowball-1"
# How many similar recommendations are kept for each one (the pages show LEARNING_SIMILAR_LIMIT).
STORED_LIMIT = 5
SHARED_TERMS = 5

TRAINING_REVIEWS_DIR = Path(settings.BASE_DIR) / "content" / "training-reviews"
# The fictional boards the training reviews belong to: training material is never credited to the
# partnership's real boards. The same boards load_demo falls back to.
TRAINING_BOARDS = (
    ("testborough-scp", "Testborough Safeguarding Children Partnership", "TSCP", Board.Kind.CHILDREN),
    ("testborough-sab", "Testborough Safeguarding Adults Board", "TSAB", Board.Kind.ADULTS),
)


def sample_reviews_allowed() -> bool:
    """As for load_demo (demo sits above learning, so the rule is read here from the same settings):
    never with production settings, nor when DEMO_DATA_ALLOWED is False."""
    if (getattr(settings, "SETTINGS_MODULE", "") or "").endswith("production"):
        return False
    return bool(getattr(settings, "DEMO_DATA_ALLOWED", True))


def sample_reviews_load(*, directory: Path | None = None) -> ChangeSummary:
    """Load the fictional training reviews (content/training-reviews/*.yaml), all or none, with the
    fictional Testborough boards they name. Loading again changes nothing."""
    paths = sorted((directory or TRAINING_REVIEWS_DIR).glob("*.yaml"))
    with transaction.atomic():
        for slug, name, short_name, kind in TRAINING_BOARDS:
            Board.objects.get_or_create(
                slug=slug, defaults={"name": name, "short_name": short_name, "kind": kind}
            )
        return review_packs_load(paths=paths)


def _threshold() -> float:
    return max(0, min(100, int(settings.LEARNING_SIMILARITY_THRESHOLD_PERCENT))) / 100


def similarity_documents() -> list[Document]:
    """The text compared for each recommendation of a published review: its title and what it asks."""
    rows = Recommendation.objects.filter(review__is_published=True).values_list(
        "pk", "review_id", "title", "text"
    )
    return [Document(key=pk, group=review_id, text=f"{title}\n{text}") for pk, review_id, title, text in rows]


def _fingerprint(documents: list[Document]) -> str:
    digest = hashlib.sha256(f"{ALGORITHM_VERSION}:{_threshold()}:{STORED_LIMIT}".encode())
    for part in fingerprint_parts(documents):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def _similarities_insert(rows: list[tuple[int, int, float, list[str], int]]) -> None:
    """Insert the rows with one prepared statement (executemany): at 100,000 rows, making a model
    instance for each (bulk_create) took most of the recompute's time."""
    meta = Similarity._meta
    fields = [meta.get_field(name) for name in ("recommendation", "similar", "score", "shared_terms", "rank")]
    columns = [str(field.column) for field in fields if isinstance(field, Field)]
    table = connection.ops.quote_name(meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608 (our own names)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(
                sql,
                [
                    (a, b, score, json.dumps(terms), rank)
                    for a, b, score, terms, rank in rows[start : start + 5000]
                ],
            )
        if connection.vendor == "postgresql":
            # The table was just rewritten whole: without fresh statistics the planner guessed
            # hundreds of rows a recommendation, and ran each page's 5-row lookup in parallel
            # workers (180 ms instead of 1 ms) until autovacuum came round.
            cursor.execute(f"ANALYZE {table}")


@dataclass(frozen=True)
class RecomputeResult:
    recommendations: int
    pairs: int
    seconds: float
    skipped: bool  # nothing had changed since the last run
    changed: bool  # the stored similarities are different now


def similarities_recompute(*, force: bool = False) -> RecomputeResult:
    """Work out again each recommendation's most similar recommendations in other reviews."""
    started = time.perf_counter()
    documents = similarity_documents()
    fingerprint = _fingerprint(documents)
    run = SimilarityRun.objects.filter(pk=1).first()
    if run is not None and run.fingerprint == fingerprint and not force:
        return RecomputeResult(len(documents), run.pairs, 0.0, skipped=True, changed=False)
    matches = similar_documents(documents, limit=STORED_LIMIT, threshold=_threshold(), terms=SHARED_TERMS)
    rows = []
    rank = 0
    previous_key = None
    for match in matches:
        rank = rank + 1 if match.key == previous_key else 1
        previous_key = match.key
        rows.append((match.key, match.other, match.score, list(match.shared_terms), rank))
    # What is stored is compared by digest, not read back: at scale that is 100,000 rows of JSON.
    digest = hashlib.sha256()
    for a, b, score, terms, rank in rows:
        digest.update(f"{a}:{b}:{score}:{rank}:{','.join(terms)}\n".encode())
    result = digest.hexdigest()
    with transaction.atomic():
        changed = run is None or run.result != result or (bool(rows) and not Similarity.objects.exists())
        if changed:
            Similarity.objects.all().delete()
            _similarities_insert(rows)
            # The public recommendation pages show these: drop the kept copies (docs/decisions/0021).
            content_changed_on_commit()
        seconds = time.perf_counter() - started
        SimilarityRun.objects.update_or_create(
            pk=1,
            defaults={
                "fingerprint": fingerprint,
                "result": result,
                "computed_at": timezone.now(),
                "recommendations": len(documents),
                "pairs": len(rows),
                "seconds": round(seconds, 3),
            },
        )
    logger.info(
        "Similar recommendations: %d recommendations, %d kept, %.2f s%s",
        len(documents),
        len(rows),
        seconds,
        "" if changed else " (unchanged)",
    )
    return RecomputeResult(len(documents), len(rows), seconds, skipped=False, changed=changed)
