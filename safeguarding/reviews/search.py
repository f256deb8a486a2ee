"""Full-text search over reviews and recommendations, behind one interface for both databases.

`search_index_review(review=...)` rewrites the review's SearchDocument rows (one for the review, one
per recommendation). `search_documents(query=...)` returns ranked hits from published reviews.

The index lives outside the ORM (migration 0002, docs/decisions/0003-full-text-search.md):
- PostgreSQL: a generated `search_vector` tsvector column with a GIN index, queried with
  `websearch_to_tsquery('english', ...)` and ranked with `ts_rank` (title weighted A, body B).
- SQLite: the FTS5 table `reviews_searchdocument_fts` (Porter stemmer), kept in step by triggers and
  ranked with `bm25` (title weighted 10, body 1).
Both accept the same query language a person would type: words (all must match), "quoted phrases",
`or` between words, and `-word` to leave a word out. Anything else is treated as plain text, so no
input can cause a syntax error.
"""

import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q

from .models import Recommendation, Review, SearchDocument

# Longest query taken into account; the rest is ignored rather than refused.
QUERY_MAX_LENGTH = 200
# Most terms passed to FTS5: each one adds to the work of a match.
QUERY_MAX_TERMS = 16

# PostgreSQL's 'english' configuration drops these; FTS5 does not, so they are dropped here to make
# both databases find the same things for the same words.
_STOP_WORDS_TEXT = """
a about above after again against all am an and any are as at be because been before being below
between both but by can did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my
myself no nor not now of off on once only other our ours ourselves out over own same she should so
some such than that the their theirs them themselves then there these they this those through to
too under until up very was we were what when where which while who whom why will with you your
yours yourself yourselves
"""
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
# Tokens as FTS5's unicode61 tokenizer sees them: runs of letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
# A quoted phrase, or a run of anything that is not a space or a quote.
_TERM = re.compile(r'"([^"]*)"?|([^\s"]+)')


@dataclass(frozen=True)
class SearchHit:
    review_id: int
    recommendation_id: int | None
    rank: float


def _review_text(review: Review) -> str:
    parts = [review.summary, review.background, review.recommendations_summary]
    parts += [f"{f.title}\n{f.text}" for f in review.findings.all()]
    return "\n".join(p for p in parts if p)


def _recommendation_text(recommendation: Recommendation) -> str:
    parts = [
        recommendation.text,
        recommendation.why,
        recommendation.what_changed,
        recommendation.practice_learning,
        " ".join(recommendation.reflective_questions or []),
        " ".join(theme.name for theme in recommendation.themes.all()),
    ]
    return "\n".join(p for p in parts if p)


@transaction.atomic
def search_index_review(*, review: Review) -> None:
    """Rewrite the search documents of one review and its recommendations. Only a published review has
    any: the index holds what the public may find, so a search needs no other table (a review's save,
    publishing included, re-indexes it: signals.py)."""
    SearchDocument.objects.filter(review=review).delete()
    if not review.is_published:
        return
    documents = [SearchDocument(review=review, title=review.title, body=_review_text(review))]
    for recommendation in review.recommendations.prefetch_related("themes"):
        documents.append(
            SearchDocument(
                review=review,
                recommendation=recommendation,
                title=f"{recommendation.reference} {recommendation.title}",
                body=_recommendation_text(recommendation),
            )
        )
    SearchDocument.objects.bulk_create(documents)


def _query_clean(query: str) -> str:
    """The query without characters no database accepts (NUL, lone surrogates), cut to length."""
    query = (query or "")[:QUERY_MAX_LENGTH].replace("\x00", " ")
    return query.encode("utf-8", "ignore").decode("utf-8")


def _fts5_query(query: str) -> str:
    """An FTS5 MATCH expression for what a person typed, built only from quoted tokens.

    Every token is wrapped in double quotes, so FTS5 reads it as a string and never as syntax
    (AND, NEAR, *, ^, column filters). Returns "" when nothing searchable is left.
    """
    groups: list[list[str]] = [[]]  # OR-separated groups of AND-ed phrases
    excluded: list[str] = []
    pending_or = False
    terms = 0
    for match in _TERM.finditer(query):
        phrase, word = match.group(1), match.group(2)
        negate = False
        if word is not None:
            if word.lower() == "or":
                pending_or = bool(groups[-1])
                continue
            negate = word.startswith("-")
            tokens = [t.lower() for t in _TOKEN.findall(word)]
            tokens = [t for t in tokens if t not in _STOP_WORDS]
        else:
            tokens = [t.lower() for t in _TOKEN.findall(phrase)]
        if not tokens:
            continue
        terms += 1
        if terms > QUERY_MAX_TERMS:
            break
        quoted = '"' + " ".join(tokens) + '"'
        if negate:
            excluded.append(quoted)
            continue
        if pending_or:
            groups.append([])
            pending_or = False
        groups[-1].append(quoted)
    groups = [g for g in groups if g]
    if not groups:
        # FTS5 cannot match on exclusions alone; neither does websearch_to_tsquery find anything.
        return ""
    expression = " OR ".join("(" + " AND ".join(g) + ")" for g in groups)
    if excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression


def _search_postgresql(query: str, limit: int) -> list[SearchHit]:
    sql = """
        SELECT d.review_id, d.recommendation_id, ts_rank(d.search_vector, q.query) AS rank
        FROM reviews_searchdocument d
        CROSS JOIN websearch_to_tsquery('english', %s) AS q(query)
        WHERE d.search_vector @@ q.query
        ORDER BY rank DESC, d.id
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, limit])
        rows = cursor.fetchall()
    return [SearchHit(review_id=r, recommendation_id=c, rank=float(rank)) for r, c, rank in rows]


def _search_sqlite(query: str, limit: int) -> list[SearchHit]:
    expression = _fts5_query(query)
    if not expression:
        return []
    # bm25() is smaller for better matches; it is negated so that a higher rank is better everywhere.
    sql = """
        SELECT d.review_id, d.recommendation_id, -bm25(reviews_searchdocument_fts, 10.0, 1.0) AS rank
        FROM reviews_searchdocument_fts
        JOIN reviews_searchdocument d ON d.id = reviews_searchdocument_fts.rowid
        WHERE reviews_searchdocument_fts MATCH %s
        ORDER BY rank DESC, d.id
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression, limit])
        rows = cursor.fetchall()
    return [SearchHit(review_id=r, recommendation_id=c, rank=float(rank)) for r, c, rank in rows]


def _search_substring(query: str, limit: int) -> list[SearchHit]:
    """For databases with no full-text index here: every word must appear somewhere."""
    condition = Q()
    for word in query.split():
        condition &= Q(title__icontains=word) | Q(body__icontains=word)
    rows = SearchDocument.objects.filter(condition).values_list("review_id", "recommendation_id")[:limit]
    return [SearchHit(review_id=r, recommendation_id=c, rank=1.0) for r, c in rows]


def search_documents(*, query: str, limit: int = 200) -> list[SearchHit]:
    """Ranked hits, best first, for a query typed by a person. Any text is safe; empty finds nothing."""
    query = _query_clean(query)
    if not query.strip() or limit <= 0:
        return []
    if connection.vendor == "postgresql":
        return _search_postgresql(query, limit)
    if connection.vendor == "sqlite":
        return _search_sqlite(query, limit)
    return _search_substring(query, limit)
