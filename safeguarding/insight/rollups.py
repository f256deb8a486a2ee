"""Building the rollups from the facts, in SQL: by day, then weeks and months from the days.

The same statements run on PostgreSQL and SQLite; only the functions that find the start of a week
or month differ. Each refresh deletes and re-inserts whole periods under one advisory lock (on
PostgreSQL), so two workers refreshing the same day cannot both insert it.
"""

import datetime
from collections.abc import Iterable

from django.db import connection, transaction

from .models import BUCKETS, ConcernRollup, Grain, ShareRollup

_LOCK_ID = 7_240_434  # any number no other advisory lock uses
DIMS = ("source", "about", "signs", "decision", "route")
MEASURES = (
    "received",
    "decided",
    "within_clock",
    "waiting",
    "urgent",
    "urgent_actioned",
    "repeats",
    *(f"d{i}" for i in range(BUCKETS)),
    *(f"a{i}" for i in range(BUCKETS)),
)
ROLLUP = ConcernRollup._meta.db_table
SHARES = ShareRollup._meta.db_table
FACT = "insight_concernfact"
FACT_TEAM = "insight_concernfactteam"
FACT_SHARE = "insight_concernfactshare"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def week_start_sql(column: str) -> str:
    """SQL for the Monday on or before a date column."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('week', {column}) AS date)"
    return f"date({column}, '-' || ((CAST(strftime('%%w', {column}) AS integer) + 6) %% 7) || ' days')"


def month_start_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _fact_measures() -> str:
    def count(condition: str) -> str:
        return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    parts = [
        "COUNT(*)",
        count("f.decided_at IS NOT NULL"),
        count("f.within_clock"),
        count("f.waiting"),
        count("f.urgent"),
        count("f.urgent AND f.first_action_at IS NOT NULL"),
        count(f"f.{_q('repeat')}"),
        *(count(f"f.decision_bucket = {i}") for i in range(BUCKETS)),
        *(count(f"f.urgent AND f.first_action_bucket = {i}") for i in range(BUCKETS)),
    ]
    return ", ".join(parts)


def _in_list(values: list, params: list) -> str:
    params.extend(values)
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def _grouping(team_expr: str) -> str:
    # A constant in GROUP BY would be read as a column position: group by the team only when joined.
    return "" if team_expr == "0" else f"{team_expr}, "


def _insert_days(days: list[datetime.date] | None) -> None:
    """Day rows from the facts: one statement for all teams (team 0) and one for each team's rows."""
    dims = ", ".join(f"f.{_q(d)}" for d in DIMS)
    columns = ", ".join(_q(c) for c in ("grain", "period_start", "team_id", *DIMS, "level", *MEASURES))
    with connection.cursor() as cursor:
        for team_expr, join in (
            ("0", ""),
            ("t.team_id", f"JOIN {FACT_TEAM} t ON t.concern_id = f.concern_id"),
        ):
            params: list = []
            where = f"WHERE f.received_on IN {_in_list(days, params)}" if days is not None else ""
            cursor.execute(
                f"INSERT INTO {ROLLUP} ({columns}) "  # noqa: S608  names are ours; values are parameters
                f"SELECT 'day', f.received_on, {team_expr}, {dims}, 0, {_fact_measures()} "
                f"FROM {FACT} f {join} {where} "
                f"GROUP BY f.received_on, {_grouping(team_expr)}{dims} "
                # Rows of a team and period lie together on disk: a range reads few pages.
                f"ORDER BY {_grouping(team_expr)}f.received_on",
                params,
            )
        # Level 1 (by source, about and signs) and level 2 (totals) of each day and team, from level 0.
        sums = ", ".join(f"SUM({_q(m)})" for m in MEASURES)
        for level, kept, group in (
            (1, "source, about, signs, '', ''", ", source, about, signs"),
            (2, "'', '', false, '', ''", ""),
        ):
            params = []
            where = f"AND period_start IN {_in_list(days, params)}" if days is not None else ""
            cursor.execute(
                f"INSERT INTO {ROLLUP} ({columns}) "  # noqa: S608  names are ours; values are parameters
                f"SELECT 'day', period_start, team_id, {kept}, {level}, {sums} FROM {ROLLUP} "
                f"WHERE grain = 'day' AND level = 0 {where} GROUP BY team_id, period_start{group} "
                "ORDER BY team_id, period_start",
                params,
            )
        share_columns = ", ".join(
            _q(c) for c in ("grain", "period_start", "team_id", *DIMS, "lawful_basis", "shares")
        )
        for team_expr, join in (
            ("0", ""),
            ("t.team_id", f"JOIN {FACT_TEAM} t ON t.concern_id = f.concern_id"),
        ):
            params = []
            where = f"WHERE s.shared_on IN {_in_list(days, params)}" if days is not None else ""
            cursor.execute(
                f"INSERT INTO {SHARES} ({share_columns}) "  # noqa: S608
                f"SELECT 'day', s.shared_on, {team_expr}, {dims}, s.lawful_basis, COUNT(*) "
                f"FROM {FACT_SHARE} s JOIN {FACT} f ON f.concern_id = s.concern_id {join} {where} "
                f"GROUP BY s.shared_on, {_grouping(team_expr)}{dims}, s.lawful_basis "
                f"ORDER BY {_grouping(team_expr)}s.shared_on",
                params,
            )


def _insert_from_days(grain: str, starts: list[datetime.date] | None) -> None:
    """Week or month rows, summed from the day rows (of the periods starting on `starts`, or all)."""
    start_sql = week_start_sql("period_start") if grain == Grain.WEEK else month_start_sql("period_start")
    dims = ", ".join(_q(d) for d in DIMS)
    ranges: list[tuple[datetime.date, datetime.date] | None] = (
        [None] if starts is None else [(start, _period_end(grain, start)) for start in starts]
    )
    with connection.cursor() as cursor:
        for table, extra_dims, measures in (
            (ROLLUP, ", level", MEASURES),
            (SHARES, ", lawful_basis", ("shares",)),
        ):
            sums = ", ".join(f"SUM({_q(m)})" for m in measures)
            columns = ", ".join(
                [
                    _q("grain"),
                    _q("period_start"),
                    _q("team_id"),
                    dims + extra_dims,
                    *(_q(m) for m in measures),
                ]
            )
            for period in ranges:
                params: list = [grain]
                where = ""
                if period is not None:
                    where = "AND period_start >= %s AND period_start < %s"
                    params.extend(period)
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) "  # noqa: S608  names are ours; values are parameters
                    f"SELECT %s, {start_sql}, team_id, {dims}{extra_dims}, {sums} FROM {table} "
                    f"WHERE grain = 'day' {where} "
                    f"GROUP BY {start_sql}, team_id, {dims}{extra_dims} "
                    f"ORDER BY team_id, {start_sql}",
                    params,
                )


def _period_end(grain: str, start: datetime.date) -> datetime.date:
    """The day after the week or month starting on `start`."""
    if grain == Grain.WEEK:
        return start + datetime.timedelta(days=7)
    return (start + datetime.timedelta(days=32)).replace(day=1)


def insight_lock() -> None:
    """Serialise writers of facts and rollups (PostgreSQL; SQLite has one writer anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])


def rollups_rebuild() -> None:
    """Every rollup row again, from the facts."""
    with transaction.atomic():
        insight_lock()
        ConcernRollup.objects.all().delete()
        ShareRollup.objects.all().delete()
        _insert_days(None)
        _insert_from_days(Grain.WEEK, None)
        _insert_from_days(Grain.MONTH, None)


def rollups_refresh(*, days: Iterable[datetime.date]) -> None:
    """The rollup rows of these days, and of the weeks and months they fall in, again from the facts."""
    days = sorted(set(days))
    if not days:
        return
    weeks = sorted({week_start(day) for day in days})
    months = sorted({month_start(day) for day in days})
    with transaction.atomic():
        insight_lock()
        for model in (ConcernRollup, ShareRollup):
            model.objects.filter(grain=Grain.DAY, period_start__in=days).delete()
            model.objects.filter(grain=Grain.WEEK, period_start__in=weeks).delete()
            model.objects.filter(grain=Grain.MONTH, period_start__in=months).delete()
        _insert_days(days)
        _insert_from_days(Grain.WEEK, weeks)
        _insert_from_days(Grain.MONTH, months)
