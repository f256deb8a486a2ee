"""How the audit trail moves a board's progress line, week by week: one rule, two users.

The board report's line (`dashboards.report_data.weekly_progress`) is today's figures worked back
through the audit trail: each action made done or not done, each sign-off as progressed in full
recorded or reopened. The dashboard reads the same changes from stored rows (`WeekTally`, kept by
aggregates.py), which count each recommendation's changes with the functions here, so the two agree.

An action's change counts while the action is still there (a deleted action's history no longer
moves the line); a sign-off's, while the sign-off is. Weeks start on Monday, in local time.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from safeguarding.audit.models import AuditEvent

from .models import Action, SignOff, WeekTally

RECOMMENDATION = "reviews.recommendation"
ACTION = Action._meta.label_lower
SIGN_OFF = SignOff._meta.label_lower
DONE_LABELS = frozenset(str(Action.Status(value).label) for value in Action.DONE)
PROGRESSED_LABEL = str(SignOff.Decision.PROGRESSED_IN_FULL.label)
NOW_KEY = WeekTally.NOW.isoformat()


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def week_of(at: datetime.datetime) -> datetime.date:
    """The Monday of the local week an event happened in."""
    return monday(timezone.localtime(at).date())


def status_pair(changes: Any) -> tuple[Any, Any] | None:
    """An event's status change [before, after], or None when it has none it can be read as."""
    pair = changes.get("status") if isinstance(changes, dict) else None
    if not isinstance(pair, list) or len(pair) != 2:
        return None
    return pair[0], pair[1]


def done_change(pair: tuple[Any, Any]) -> int:
    """+1 when the change made the action done, -1 when it made a done action not done, else 0."""
    return int(pair[1] in DONE_LABELS) - int(pair[0] in DONE_LABELS)


def touches_done(pair: tuple[Any, Any] | None) -> bool:
    """Only changes into or out of done (or between done statuses) are on the line."""
    return pair is not None and (pair[0] in DONE_LABELS or pair[1] in DONE_LABELS)


def done_events_condition() -> Q:
    """`touches_done` in SQL, so the database leaves out every other change of status."""
    labels = sorted(DONE_LABELS)
    return Q(changes__status__0__in=labels) | Q(changes__status__1__in=labels)


def sign_off_change(kind: str, changes: Any) -> int:
    """+1 for a sign-off recorded as progressed in full, -1 for one reopened, else 0."""
    changes = changes if isinstance(changes, dict) else {}
    decision = (changes.get("decision") or [None, None])[-1]
    if kind == AuditEvent.Kind.CREATED and decision == PROGRESSED_LABEL:
        return 1
    if kind == AuditEvent.Kind.UPDATED and "reopened_at" in changes:
        return -1
    return 0


def recommendation_weeks(recommendation_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Each recommendation's changes by week, as stored on its tally (RecommendationTally.weeks).

    {"actions": {"<Monday>": [done change, changes]}, "sign_offs": {"<board id>": {"<Monday>":
    [signed-off change, changes]}}, "signed_now": [boards with a current sign-off as progressed in
    full]}. Four queries, whatever the number of recommendations.
    """
    ids = sorted(set(recommendation_ids))
    result: dict[int, dict[str, Any]] = {pk: {"actions": {}, "sign_offs": {}, "signed_now": []} for pk in ids}
    if not ids:
        return result
    subject_ids = [str(pk) for pk in ids]
    action_of = dict(Action.objects.filter(recommendation_id__in=ids).values_list("pk", "recommendation_id"))
    status_events = (
        AuditEvent.objects.filter(
            subject_type=RECOMMENDATION,
            subject_id__in=subject_ids,
            target_type=ACTION,
            changes__has_key="status",
        )
        .filter(done_events_condition())
        .values_list("at", "subject_id", "target_id", "changes__status")
    )
    actions: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for at, subject_id, target_id, pair in status_events:
        readable = isinstance(pair, list) and len(pair) == 2
        recommendation_id = int(subject_id)
        if not (readable and target_id.isdigit() and action_of.get(int(target_id)) == recommendation_id):
            continue
        week = actions[recommendation_id].setdefault(week_of(at).isoformat(), [0, 0])
        week[0] += done_change((pair[0], pair[1]))
        week[1] += 1

    sign_offs = SignOff.objects.filter(recommendation_id__in=ids)
    board_of = {
        str(pk): (recommendation_id, board_id)
        for pk, recommendation_id, board_id in sign_offs.values_list("pk", "recommendation_id", "board_id")
    }
    signed: dict[int, dict[str, dict[str, list[int]]]] = defaultdict(dict)
    if board_of:
        for at, kind, subject_id, target_id, changes in AuditEvent.objects.filter(
            subject_type=RECOMMENDATION, subject_id__in=subject_ids, target_type=SIGN_OFF
        ).values_list("at", "kind", "subject_id", "target_id", "changes"):
            owner = board_of.get(target_id)
            if owner is None or owner[0] != int(subject_id):
                continue
            by_week = signed[owner[0]].setdefault(str(owner[1]), {})
            week = by_week.setdefault(week_of(at).isoformat(), [0, 0])
            week[0] += sign_off_change(kind, changes)
            week[1] += 1
    now: dict[int, set[int]] = defaultdict(set)
    for recommendation_id, board_id in sign_offs.filter(
        decision=SignOff.Decision.PROGRESSED_IN_FULL, reopened_at__isnull=True
    ).values_list("recommendation_id", "board_id"):
        now[recommendation_id].add(board_id)
    for pk in ids:
        result[pk] = {
            "actions": actions.get(pk, {}),
            "sign_offs": signed.get(pk, {}),
            "signed_now": sorted(now.get(pk, set())),
        }
    return result


def board_rows(weeks: dict[str, Any] | None, boards: list[int]) -> dict[tuple[int, str], list[int]]:
    """What one recommendation's weeks add to each of its boards' WeekTally rows:
    {(board id, "<Monday>"): [actions done, signed off, changes]}, NOW's row included.

    A board's own sign-offs count only while the recommendation is addressed to it, as in the report.
    """
    rows: dict[tuple[int, str], list[int]] = {}
    if not weeks:
        return rows

    def add(board: int, week: str, done: int, signed: int, changes: int) -> None:
        row = rows.setdefault((board, week), [0, 0, 0])
        row[0] += done
        row[1] += signed
        row[2] += changes

    for board in boards:
        for week, (done, changes) in weeks.get("actions", {}).items():
            add(board, week, done, 0, changes)
        for week, (signed, changes) in weeks.get("sign_offs", {}).get(str(board), {}).items():
            add(board, week, 0, signed, changes)
        if board in weeks.get("signed_now", []):
            add(board, NOW_KEY, 0, 1, 0)
    return rows
