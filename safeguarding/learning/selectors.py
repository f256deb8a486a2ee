"""Reads of learning across reviews: similar recommendations, pairs across reviews, themes over time
and recurring learning with its open actions (docs/decisions/0036)."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from safeguarding.reviews.models import Recommendation, Review, Theme
from safeguarding.tracker.models import Action

from .models import Similarity, SimilarityRun
from .similarity import score_in_words

# Recurring learning groups recommendations at least this similar (or the threshold, if higher): at the
# threshold alone, chains of loosely similar recommendations would join into one large group.
GROUP_THRESHOLD = 0.3


def threshold() -> float:
    return max(0, min(100, int(settings.LEARNING_SIMILARITY_THRESHOLD_PERCENT))) / 100


@dataclass(frozen=True)
class SimilarItem:
    recommendation: Recommendation
    score: float
    shared_terms: list[str]

    @property
    def score_percent(self) -> int:
        return round(self.score * 100)

    @property
    def score_words(self) -> str:
        return score_in_words(self.score)

    @property
    def is_demo(self) -> bool:
        return self.recommendation.review.is_demo


def similar_recommendations(*, recommendation: Recommendation, limit: int | None = None) -> list[SimilarItem]:
    """The recommendations of other published reviews most like this one, best first, at or above the
    threshold."""
    rows = (
        Similarity.objects.filter(
            recommendation=recommendation, score__gte=threshold(), similar__review__is_published=True
        )
        .select_related("similar__review")
        .only(
            "score",
            "shared_terms",
            "similar__reference",
            "similar__title",
            "similar__review__slug",
            "similar__review__title",
            "similar__review__short_title",
            "similar__review__published_on",
            "similar__review__is_demo",
        )
        .order_by("rank")[: limit or settings.LEARNING_SIMILAR_LIMIT]
    )
    return [SimilarItem(row.similar, row.score, list(row.shared_terms)) for row in rows]


def similar_pairs(*, review: Review | None = None) -> QuerySet[Similarity]:
    """Each pair of similar recommendations once (the row from the lower id, or the only row when the
    pair is in one recommendation's list only), best first."""
    reverse = Similarity.objects.filter(
        recommendation_id=OuterRef("similar_id"), similar_id=OuterRef("recommendation_id")
    )
    pairs = (
        Similarity.objects.filter(
            score__gte=threshold(),
            recommendation__review__is_published=True,
            similar__review__is_published=True,
        )
        .filter(Q(recommendation_id__lt=F("similar_id")) | ~Exists(reverse))
        .select_related("recommendation__review", "similar__review")
        .order_by("-score", "recommendation_id", "similar_id")
    )
    if review is not None:
        pairs = pairs.filter(Q(recommendation__review=review) | Q(similar__review=review))
    return pairs


def reviews_published() -> list[Review]:
    return list(Review.objects.published().order_by("-published_on", "title"))


def last_run() -> SimilarityRun | None:
    return SimilarityRun.objects.filter(pk=1).first()


# --- Open actions ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class OpenActions:
    open: int = 0
    overdue: int = 0


def open_actions(recommendation_ids: list[int]) -> dict[int, OpenActions]:
    """Actions not yet done (and of those, past their due date) for each recommendation, in one query."""
    today = timezone.localdate()
    rows = (
        Action.objects.filter(recommendation_id__in=recommendation_ids)
        .exclude(status__in=Action.DONE)
        .values("recommendation_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    )
    return {row["recommendation_id"]: OpenActions(row["open"], row["overdue"]) for row in rows}


# --- Themes over time ------------------------------------------------------------------------------
@dataclass
class ThemeRow:
    theme: Theme
    by_year: list[int]  # recommendations with the theme in reviews published that year, per column
    reviews: int
    recommendations: int
    open_actions: int = 0
    overdue_actions: int = 0
    recommendations_with_open_actions: int = 0

    @property
    def recurring(self) -> bool:
        return self.reviews >= 2


@dataclass
class ThemesOverTime:
    years: list[int]
    rows: list[ThemeRow]
    undated_reviews: int = 0


def themes_over_time() -> ThemesOverTime:
    """For each theme: its recommendations in each year's published reviews, how many reviews it comes
    up in, and the open actions of its recommendations. Themes in most reviews first."""
    links = list(
        Recommendation.themes.through.objects.filter(recommendation__review__is_published=True).values_list(
            "theme_id",
            "recommendation_id",
            "recommendation__review_id",
            "recommendation__review__published_on",
        )
    )
    years = sorted({published.year for *_, published in links if published is not None})
    column = {year: i for i, year in enumerate(years)}
    themes = Theme.objects.in_bulk({theme_id for theme_id, *_ in links})
    actions = open_actions(list({rec for _, rec, _, _ in links}))
    per_theme: dict[int, ThemeRow] = {}
    reviews: dict[int, set[int]] = defaultdict(set)
    for theme_id, rec_id, review_id, published in links:
        row = per_theme.get(theme_id)
        if row is None:
            row = per_theme[theme_id] = ThemeRow(themes[theme_id], [0] * len(years), 0, 0)
        if published is not None:
            row.by_year[column[published.year]] += 1
        row.recommendations += 1
        reviews[theme_id].add(review_id)
        found = actions.get(rec_id)
        if found is not None and found.open:
            row.open_actions += found.open
            row.overdue_actions += found.overdue
            row.recommendations_with_open_actions += 1
    for theme_id, row in per_theme.items():
        row.reviews = len(reviews[theme_id])
    rows = sorted(per_theme.values(), key=lambda r: (-r.reviews, -r.recommendations, r.theme.name))
    undated = Review.objects.published().filter(published_on=None).count()
    return ThemesOverTime(years=years, rows=rows, undated_reviews=undated)


# --- Recurring learning ----------------------------------------------------------------------------
@dataclass
class GroupMember:
    recommendation: Recommendation
    actions: OpenActions


@dataclass
class RecurringGroup:
    members: list[GroupMember]
    terms: list[str]
    reviews: int
    years: list[int] = field(default_factory=list)

    @property
    def open_actions(self) -> int:
        return sum(member.actions.open for member in self.members)

    @property
    def overdue_actions(self) -> int:
        return sum(member.actions.overdue for member in self.members)

    @property
    def is_demo(self) -> bool:
        return any(member.recommendation.review.is_demo for member in self.members)


def recurring_learning() -> list[RecurringGroup]:
    """Groups of recommendations from two or more reviews that are similar to each other (joined when
    any two are at least GROUP_THRESHOLD similar), each with the words they share most and the open
    actions of each member. Groups with open actions first, then those spanning most reviews."""
    level = max(threshold(), GROUP_THRESHOLD)
    edges = list(
        Similarity.objects.filter(
            score__gte=level, recommendation__review__is_published=True, similar__review__is_published=True
        ).values_list("recommendation_id", "similar_id", "shared_terms")
    )
    parent: dict[int, int] = {}

    def find(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b, _ in edges:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    members: dict[int, list[int]] = defaultdict(list)
    for node in list(parent):
        members[find(node)].append(node)
    terms: dict[int, Counter[str]] = defaultdict(Counter)
    for a, _, shared in edges:
        terms[find(a)].update(shared)
    recommendations = Recommendation.objects.select_related("review").in_bulk(list(parent))
    actions = open_actions(list(parent))
    groups = []
    for root, ids in members.items():
        recs = sorted(
            (recommendations[i] for i in ids if i in recommendations),
            key=lambda r: (r.review.published_on or datetime.date.max, r.review.title, r.order, r.pk),
        )
        review_ids = {rec.review_id for rec in recs}
        if len(review_ids) < 2:
            continue
        groups.append(
            RecurringGroup(
                members=[GroupMember(rec, actions.get(rec.pk, OpenActions())) for rec in recs],
                terms=[term for term, _ in terms[root].most_common(5)],
                reviews=len(review_ids),
                years=sorted({rec.review.published_on.year for rec in recs if rec.review.published_on}),
            )
        )
    groups.sort(
        key=lambda g: (g.open_actions == 0, -g.reviews, -len(g.members), g.members[0].recommendation.pk)
    )
    return groups
