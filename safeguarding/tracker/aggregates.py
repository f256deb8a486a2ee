"""Stored aggregates: each recommendation's actions counted (status, RAG, overdue, due soon), whether
it is progressed in full, and the same counts per agency, so dashboards add up a few thousand rows
instead of working out RAG over every action and its evidence (decision 0032).

`tallies_count(recommendation_ids=..., today=...)` counts the recommendations again from scratch, with
the very rules the dashboards used to apply at read time (`rag_annotation`, `_timing`,
`progressed_in_full_condition`), and replaces their rows. It is called:

- in the same transaction as every change that can move a count: signals.py runs it after an action,
  evidence or sign-off is saved or deleted, and when a recommendation's or review's boards change;
- by the scheduler (tasks.py) for rows whose date-dependent counts have expired (`fresh_until`);
- by `manage.py tracker_tallies_rebuild`, after a bulk load that bypassed model saves.

The counts that depend on the day hold from `counted_on` up to `fresh_until`: the day before the
first day on which any action of the row would change RAG, or become overdue or due soon.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, Q, Value, When
from django.db.models.functions import TruncMonth

from safeguarding.core.working_days import add_working_days
from safeguarding.reviews.models import Recommendation, Review

from . import week_changes
from .models import (
    DONE_STATUSES,
    Action,
    AgencyTally,
    MonthTally,
    RecommendationTally,
    TallyBoard,
    WeekTally,
)
from .rag import AMBER_WORKING_DAYS, rag_annotation

DUE_SOON_DAYS = 30
CHUNK = 1000

_STATUS_FIELDS = {
    Action.Status.NOT_STARTED.value: "not_started",
    Action.Status.IN_PROGRESS.value: "in_progress",
    Action.Status.COMPLETE.value: "complete",
    Action.Status.IMPACT_EVIDENCED.value: "impact_evidenced",
}
_RAG_FIELDS = {"red": "red", "amber": "amber", "green": "green", "complete": "rag_complete"}


def timing_annotation(*, today: datetime.date) -> Case:
    """'overdue' or 'due_soon' for actions not done, '' otherwise."""
    not_done = ~Q(status__in=list(Action.DONE))
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    return Case(
        When(not_done & Q(due_date__lt=today), then=Value("overdue")),
        When(not_done & Q(due_date__gte=today, due_date__lte=soon), then=Value("due_soon")),
        default=Value(""),
        output_field=CharField(),
    )


def _amber_from(due: datetime.date, *, after: datetime.date) -> datetime.date | None:
    """The first day after `after` on which `due` is within AMBER_WORKING_DAYS working days, if it is
    not yet within them on `after` and the day comes no later than `due`."""
    if due <= add_working_days(after, AMBER_WORKING_DAYS):
        return None
    day = max(after + datetime.timedelta(days=1), due - datetime.timedelta(days=3 * AMBER_WORKING_DAYS))
    while day <= due:
        if due <= add_working_days(day, AMBER_WORKING_DAYS):
            return day
        day += datetime.timedelta(days=1)
    return None


def next_change(due: datetime.date, *, today: datetime.date) -> datetime.date | None:
    """The first day after `today` on which an action not done, due on `due`, counts differently:
    it comes within the due-soon window or the amber window, or becomes overdue."""
    soon_from = due - datetime.timedelta(days=DUE_SOON_DAYS)
    if soon_from > today:
        # The amber window (10 working days) is always shorter than the due-soon window (30 days).
        return soon_from
    if due < today:
        return None  # overdue already: nothing changes with the days any more
    amber = _amber_from(due, after=today)
    overdue_from = due + datetime.timedelta(days=1)
    return min(amber, overdue_from) if amber is not None else overdue_from


def _earliest(a: datetime.date | None, b: datetime.date | None) -> datetime.date | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _counted(
    recommendation_ids: list[int], *, today: datetime.date
) -> tuple[dict[int, RecommendationTally], dict[tuple[int, int], AgencyTally]]:
    """Fresh tallies for the recommendations (unsaved), counted in three queries."""
    from .dashboards.selectors import progressed_in_full_condition

    by_recommendation = {
        pk: RecommendationTally(recommendation_id=pk, progressed=progressed, counted_on=today)
        for pk, progressed in Recommendation.objects.filter(pk__in=recommendation_ids)
        .annotate(
            is_progressed=Case(When(progressed_in_full_condition(), then=Value(True)), default=Value(False))
        )
        .values_list("pk", "is_progressed")
    }
    by_agency: dict[tuple[int, int], AgencyTally] = {}
    actions = Action.objects.filter(recommendation_id__in=list(by_recommendation)).order_by()
    rows = (
        actions.annotate(rag=rag_annotation(today=today), timing=timing_annotation(today=today))
        .values("recommendation_id", "owner_agency_id", "status", "rag", "timing")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        key = (row["recommendation_id"], row["owner_agency_id"])
        tally = by_agency.get(key)
        if tally is None:
            tally = by_agency[key] = AgencyTally(recommendation_id=key[0], agency_id=key[1], counted_on=today)
        n = row["n"]
        for target in (tally, by_recommendation[key[0]]):
            target.actions += n
            field = _STATUS_FIELDS[row["status"]]
            setattr(target, field, getattr(target, field) + n)
            field = _RAG_FIELDS[row["rag"]]
            setattr(target, field, getattr(target, field) + n)
            if row["timing"]:
                setattr(target, row["timing"], getattr(target, row["timing"]) + n)
    for recommendation_id, agency_id, month, n in (
        actions.filter(status__in=DONE_STATUSES)
        .annotate(month=TruncMonth("completed_on"))
        .values("recommendation_id", "owner_agency_id", "month")
        .annotate(n=Count("pk"))
        .values_list("recommendation_id", "owner_agency_id", "month", "n")
    ):
        if isinstance(month, datetime.datetime):
            month = month.date()
        month_key = (month or MonthTally.NO_DATE).isoformat()
        months = by_recommendation[recommendation_id].months.setdefault(str(agency_id), {})
        months[month_key] = months.get(month_key, 0) + n
    dues: dict[tuple[int, int], set[datetime.date]] = defaultdict(set)
    for recommendation_id, agency_id, due in (
        actions.exclude(status__in=list(Action.DONE))
        .filter(due_date__isnull=False)
        .values_list("recommendation_id", "owner_agency_id", "due_date")
    ):
        if due is not None:
            dues[(recommendation_id, agency_id)].add(due)
    for key, dates in dues.items():
        change = None
        for due in dates:
            change = _earliest(change, next_change(due, today=today))
        if change is not None:
            fresh_until = change - datetime.timedelta(days=1)
            by_agency[key].fresh_until = fresh_until
            whole = by_recommendation[key[0]]
            whole.fresh_until = _earliest(whole.fresh_until, fresh_until)
    return by_recommendation, by_agency


def _addressed(recommendation_ids: list[int]) -> dict[int, list[int]]:
    """The boards each recommendation is addressed to: its own, or else its review's."""
    own: dict[int, set[int]] = defaultdict(set)
    for recommendation_id, board_id in Recommendation.boards.through.objects.filter(
        recommendation_id__in=recommendation_ids
    ).values_list("recommendation_id", "board_id"):
        own[recommendation_id].add(board_id)
    reviews = dict(Recommendation.objects.filter(pk__in=recommendation_ids).values_list("pk", "review_id"))
    of_review: dict[int, set[int]] = defaultdict(set)
    for review_id, board_id in Review.boards.through.objects.filter(
        review_id__in=set(reviews.values())
    ).values_list("review_id", "board_id"):
        of_review[review_id].add(board_id)
    return {pk: sorted(own.get(pk) or of_review.get(review_id, set())) for pk, review_id in reviews.items()}


def _month_scopes(months: dict[str, dict[str, int]], boards: list[int]) -> Counter[tuple[str, str]]:
    """What one recommendation's done actions add to each MonthTally row."""
    added: Counter[tuple[str, str]] = Counter()
    for agency_id, per_month in months.items():
        for month, n in per_month.items():
            for scope in ("all", f"agency:{agency_id}", *(f"board:{board}" for board in boards)):
                added[(scope, month)] += n
    return added


def _months_add(change: Counter[tuple[str, str]]) -> None:
    """Add to the MonthTally rows (creating them), then drop rows that came to nothing."""
    rows = [
        (scope, datetime.date.fromisoformat(month), n) for (scope, month), n in sorted(change.items()) if n
    ]
    if not rows:
        return
    table = connection.ops.quote_name(MonthTally._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (scope, month, n) VALUES (%s, %s, %s) "  # noqa: S608 (our own table)
            f"ON CONFLICT (scope, month) DO UPDATE SET n = {table}.n + excluded.n",
            rows,
        )
    MonthTally.objects.filter(scope__in={scope for scope, _, _ in rows}, n=0).delete()


WeekChange = dict[tuple[int, str], list[int]]


def _week_rows(weeks: dict[str, Any] | None, boards: list[int], change: WeekChange, *, sign: int) -> None:
    """Add (sign 1) or take away (sign -1) one recommendation's part in its boards' week rows."""
    for key, values in week_changes.board_rows(weeks, boards).items():
        row = change.setdefault(key, [0, 0, 0])
        for i, value in enumerate(values):
            row[i] += sign * value


def _weeks_add(change: WeekChange) -> None:
    """Add to the WeekTally rows (creating them), then drop rows that came to nothing."""
    rows = [
        (board, datetime.date.fromisoformat(week), values[0], values[1], values[2])
        for (board, week), values in sorted(change.items())
        if any(values)
    ]
    if not rows:
        return
    table = connection.ops.quote_name(WeekTally._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (board_id, week, actions_done, signed_off, changes) "  # noqa: S608
            f"VALUES (%s, %s, %s, %s, %s) ON CONFLICT (board_id, week) DO UPDATE SET "
            f"actions_done = {table}.actions_done + excluded.actions_done, "
            f"signed_off = {table}.signed_off + excluded.signed_off, "
            f"changes = {table}.changes + excluded.changes",
            rows,
        )
    WeekTally.objects.filter(
        board_id__in={row[0] for row in rows}, actions_done=0, signed_off=0, changes=0
    ).delete()


def weeks_count(*, recommendation_ids: Iterable[int]) -> None:
    """Count the recommendations' weeks again (not their other tallies) and store the difference.

    For a new audit event: the services write the event after the change it records, so the count
    that followed the change did not see it. Recommendations with no tally yet are left to their count.
    """
    ids = sorted(set(recommendation_ids))
    with transaction.atomic():
        before = {
            pk: (weeks, boards)
            for pk, weeks, boards in RecommendationTally.objects.select_for_update()
            .filter(recommendation_id__in=ids)
            .order_by("pk")
            .values_list("recommendation_id", "weeks", "boards")
        }
        if not before:
            return
        counted = week_changes.recommendation_weeks(before)
        change: WeekChange = {}
        for pk, (weeks, boards) in before.items():
            _week_rows(weeks, boards, change, sign=-1)
            _week_rows(counted[pk], boards, change, sign=1)
        _weeks_add(change)
        RecommendationTally.objects.bulk_update(
            [RecommendationTally(recommendation_id=pk, weeks=counted[pk]) for pk in before], fields=["weeks"]
        )


def tallies_count(*, recommendation_ids: Iterable[int], today: datetime.date) -> int:
    """Count the recommendations again from scratch and store their tallies. Returns how many.

    Runs in the caller's transaction (or its own), so the tallies change with what moved them.
    """
    ids = sorted(set(recommendation_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            before = {}
            week_change: WeekChange = {}
            # Locked: two counts of one recommendation at once must not both add the same change.
            for pk, months, boards, weeks in (
                RecommendationTally.objects.select_for_update()
                .filter(recommendation_id__in=chunk)
                .order_by("pk")
                .values_list("recommendation_id", "months", "boards", "weeks")
            ):
                before[pk] = _month_scopes(months, boards)
                _week_rows(weeks, boards, week_change, sign=-1)
            by_recommendation, by_agency = _counted(chunk, today=today)
            addressed = _addressed(chunk)
            weeks_counted = week_changes.recommendation_weeks(by_recommendation)
            change: Counter[tuple[str, str]] = Counter()
            for pk, tally in by_recommendation.items():
                tally.boards = addressed.get(pk, [])
                tally.weeks = weeks_counted[pk]
                change.update(_month_scopes(tally.months, tally.boards))
                _week_rows(tally.weeks, tally.boards, week_change, sign=1)
            for old in before.values():
                change.subtract(old)
            _months_add(change)
            _weeks_add(week_change)
            AgencyTally.objects.filter(recommendation_id__in=chunk).delete()
            TallyBoard.objects.filter(recommendation_id__in=chunk).delete()
            # Updated in place, not replaced, so a count waiting on the lock above reads this one.
            RecommendationTally.objects.bulk_update(
                [tally for pk, tally in by_recommendation.items() if pk in before],
                fields=[
                    *RecommendationTally.COUNTS,
                    "counted_on",
                    "fresh_until",
                    "progressed",
                    "months",
                    "boards",
                    "weeks",
                ],
            )
            RecommendationTally.objects.bulk_create(
                tally for pk, tally in by_recommendation.items() if pk not in before
            )
            AgencyTally.objects.bulk_create(by_agency.values())
            TallyBoard.objects.bulk_create(
                TallyBoard(recommendation_id=pk, board_id=board)
                for pk, boards in addressed.items()
                for board in boards
            )
    return len(ids)


def tallies_stale(*, today: datetime.date) -> list[int]:
    """Recommendations whose stored day-dependent counts no longer hold today."""
    return list(
        RecommendationTally.objects.filter(fresh_until__lt=today).values_list("recommendation_id", flat=True)
    )


def tallies_missing() -> list[int]:
    """Recommendations with no tally (created by a bulk load that saved no model)."""
    return list(
        Recommendation.objects.filter(Q(tally__isnull=True) | Q(tally__weeks__isnull=True)).values_list(
            "pk", flat=True
        )
    )


def tallies_rebuild(*, today: datetime.date) -> int:
    """Every recommendation counted again from scratch; tallies of nothing removed."""
    with transaction.atomic():
        # From nothing: the month rows are kept by adding changes, so they start again at zero.
        # Every recommendation locked, as the services lock the one they change, so no change lands
        # between the wipe and the count.
        ids = list(Recommendation.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
        MonthTally.objects.all().delete()
        WeekTally.objects.all().delete()
        RecommendationTally.objects.all().delete()
        return tallies_count(recommendation_ids=ids, today=today)
