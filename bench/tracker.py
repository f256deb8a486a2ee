"""Benchmark: the tracker dashboards and the staff recommendation page at partnership scale.

Loads 100 reviews, 5,000 recommendations, 50,000 actions and 200,000 pieces of evidence (notes, no
files) into a separate benchmark database, signs in a verified member of staff in-process, then
requests pages through Django's test client, so the times are server time (URL routing, middleware,
queries, templates) without network. Prints p50, p95 and max in milliseconds and the queries per
request.

    .venv/bin/python bench/tracker.py                              # SQLite, var/bench-tracker.sqlite3
    .venv/bin/python bench/tracker.py --database-url postgres://postgres@127.0.0.1:5432/toolkit_bench_tracker
    .venv/bin/python bench/tracker.py --sqlite --reuse                 # SQLite, keeping the data loaded

The bare Django view's times (the same client, middleware and database, a view that does nothing)
are printed first as the floor under every figure, and the load average at the start and the end.

Target (issue 12, part 6): every dashboard p95 under 100 ms on PostgreSQL and SQLite, with a query
count that does not grow with rows; the dashboards read stored aggregates (decision 0032).
PostgreSQL's JIT compiler costs 200-900 ms on these counting queries for nothing in return; pass
connection options in the URL to see the difference, e.g. `...toolkit_bench_tracker?options=-c%20jit%3Doff`.
"""

import argparse
import datetime
import random
import time

from common import ROOT, bare_view_times, django_setup, load_average, measure, report

PREFIX = "benchtr-"
BATCH = 5000
WORDS = [
    "exploitation",
    "training",
    "disruption",
    "information",
    "sharing",
    "strategy",
    "assessment",
    "supervision",
    "transition",
    "housing",
    "police",
    "health",
    "education",
    "missing",
    "episodes",
    "audit",
    "escalation",
    "pathway",
    "protocol",
    "guidance",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def clear() -> None:
    from safeguarding.reviews.models import Review
    from safeguarding.tracker.models import Action, Evidence, SignOff

    Evidence.objects.filter(action__recommendation__review__slug__startswith=PREFIX).delete()
    SignOff.objects.filter(recommendation__review__slug__startswith=PREFIX).delete()
    Action.objects.filter(recommendation__review__slug__startswith=PREFIX).delete()
    Review.objects.filter(slug__startswith=PREFIX).delete()


def populate(
    *, reviews: int, per_review: int, actions_per: int, evidence_per: int, today: datetime.date
) -> None:
    from django.db import connection, transaction

    from safeguarding.accounts.models import User
    from safeguarding.partnership.models import Agency, Board
    from safeguarding.reviews.models import Recommendation, Review
    from safeguarding.tracker.models import Action, Evidence, SignOff

    rng = random.Random(2018)
    clear()
    with transaction.atomic():
        board_c, _ = Board.objects.get_or_create(
            slug=f"{PREFIX}children",
            defaults={
                "name": "Bench children's partnership",
                "short_name": "BCP",
                "kind": Board.Kind.CHILDREN,
            },
        )
        board_a, _ = Board.objects.get_or_create(
            slug=f"{PREFIX}adults",
            defaults={"name": "Bench adults board", "short_name": "BAB", "kind": Board.Kind.ADULTS},
        )
        agencies = [
            Agency.objects.get_or_create(slug=f"{PREFIX}agency-{i}", defaults={"name": f"Bench agency {i}"})[
                0
            ]
            for i in range(20)
        ]
        supplier, _ = User.objects.get_or_create(username=f"{PREFIX}supplier", defaults={"first_name": "Sam"})
        leads = [
            User.objects.get_or_create(
                username=f"{PREFIX}lead-{i}",
                defaults={"first_name": "Lead", "last_name": str(i), "agency": a},
            )[0]
            for i, a in enumerate(agencies)
        ]
        review_objects = Review.objects.bulk_create(
            Review(
                slug=f"{PREFIX}{r:03d}",
                title=f"Tracker benchmark review {r}: {sentence(rng, 5)}",
                short_title=f"Tracker benchmark {r}",
                review_type=rng.choice(Review.Type.values),
                summary=sentence(rng, 30),
                is_demo=True,
            )
            for r in range(reviews)
        )
        through = Review.boards.through
        through.objects.bulk_create(
            through(review=review, board=board)
            for review in review_objects
            for board in ([board_c, board_a] if review.pk % 3 else [board_c])
        )
        recommendations = Recommendation.objects.bulk_create(
            (
                Recommendation(
                    review=review,
                    reference=str(i + 1),
                    order=i,
                    title=sentence(rng, 8),
                    text=sentence(rng, 30),
                    addressee=Recommendation.Addressee.LOCAL,
                    audience=rng.choice(Recommendation.Audience.values),
                )
                for review in review_objects
                for i in range(per_review)
            ),
            batch_size=BATCH,
        )
        rec_boards = Recommendation.boards.through
        rec_boards.objects.bulk_create(
            (rec_boards(recommendation=rec, board=board_a) for rec in recommendations if rng.random() < 0.1),
            batch_size=BATCH,
        )
        statuses = Action.Status.values
        action_objects = []
        for rec in recommendations:
            for _ in range(actions_per):
                status = rng.choice(statuses)
                done = status in Action.DONE
                due = today + datetime.timedelta(days=rng.randint(-365, 365)) if rng.random() < 0.95 else None
                action_objects.append(
                    Action(
                        recommendation=rec,
                        description=sentence(rng, 12),
                        owner_agency=(agency := rng.choice(agencies)),
                        lead=leads[agencies.index(agency)],
                        due_date=due,
                        status=status,
                        completed_on=today - datetime.timedelta(days=rng.randint(0, 700)) if done else None,
                    )
                )
        action_objects = Action.objects.bulk_create(action_objects, batch_size=BATCH)
        states = Evidence.State
        evidence_objects = []
        for action in action_objects:
            done = action.status in Action.DONE
            for _ in range(evidence_per):
                state = (
                    states.ACCEPTED
                    if done and rng.random() < 0.9
                    else rng.choice([states.SUBMITTED, states.ACCEPTED, states.RETURNED])
                )
                evidence_objects.append(
                    Evidence(
                        action=action,
                        kind=Evidence.Kind.NOTE,
                        title=sentence(rng, 4),
                        note=sentence(rng, 20),
                        effective_date=today - datetime.timedelta(days=rng.randint(0, 400)),
                        supplied_by=supplier,
                        state=state,
                        return_reason="Please add the dates." if state == states.RETURNED else "",
                    )
                )
            if len(evidence_objects) >= BATCH:
                Evidence.objects.bulk_create(evidence_objects, batch_size=BATCH)
                evidence_objects = []
        Evidence.objects.bulk_create(evidence_objects, batch_size=BATCH)
        SignOff.objects.bulk_create(
            (
                SignOff(
                    recommendation=rec,
                    board=board,
                    meeting_date=today - datetime.timedelta(days=rng.randint(0, 300)),
                    minute_reference=f"{board.short_name}/{rec.pk}",
                    decision=SignOff.Decision.PROGRESSED_IN_FULL,
                    recorded_by=supplier,
                    snapshot={},
                    snapshot_hash="0" * 64,
                )
                for rec in recommendations
                if rng.random() < 0.2
                for board in (board_c, board_a)
            ),
            batch_size=BATCH,
        )
    history_add(today=today)
    # The load above saved no model, so nothing counted its actions as it went: count them now, as
    # `manage.py tracker_tallies_rebuild` does after any bulk load.
    tallies_rebuild = _tallies_rebuild()
    if tallies_rebuild is not None:
        tallies_rebuild(today=today)
    if connection.vendor == "postgresql":
        # What autovacuum would do soon after a real load: row counts for the planner, and the
        # visibility map that lets it answer from indexes alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


HISTORY_ACTOR = f"{PREFIX}history"


def history_add(*, today: datetime.date) -> int:
    """Audit events for the benchmark's actions and sign-offs, over the last 36 weeks, as the services
    would have written them: the board dashboards' 26-week line is worked back through them.

    The bulk load writes no history; this adds it once per load (a marker event says it is there).
    Returns how many events were added.
    """
    from django.db import transaction
    from django.utils import timezone

    from safeguarding.audit.models import AuditEvent
    from safeguarding.audit.services import GENESIS_HASH, _event_hash
    from safeguarding.reviews.models import Recommendation
    from safeguarding.tracker.models import Action, SignOff

    first = Recommendation.objects.filter(review__slug__startswith=PREFIX).order_by("pk").first()
    if first is None:
        return 0
    marker = {"target_type": "bench.history", "target_id": str(first.pk)}
    if AuditEvent.objects.filter(actor_label=HISTORY_ACTOR, **marker).exists():
        return 0
    rng = random.Random(26)
    now = timezone.now()
    labels = dict(Action.Status.choices)
    done_labels = [labels[s] for s in Action.DONE]

    def at() -> datetime.datetime:
        return now - datetime.timedelta(seconds=rng.randint(3600, 36 * 7 * 86400))

    planned: list[tuple[datetime.datetime, str, str, str, str, dict]] = []
    for pk, recommendation_id, status in (
        Action.objects.filter(recommendation__review__slug__startswith=PREFIX)
        .order_by("pk")
        .values_list("pk", "recommendation_id", "status")
    ):
        subject = ("tracker.action", str(pk), "reviews.recommendation", str(recommendation_id))
        if status in Action.DONE and rng.random() < 0.4:
            planned.append((at(), *subject, {"status": ["In progress", labels[status]]}))
        elif status not in Action.DONE and rng.random() < 0.05:
            when = at()
            planned.append((when, *subject, {"status": ["In progress", rng.choice(done_labels)]}))
            back = when + datetime.timedelta(days=rng.randint(1, 30))
            planned.append((min(back, now), *subject, {"status": [rng.choice(done_labels), labels[status]]}))
    decision = str(SignOff.Decision.PROGRESSED_IN_FULL.label)
    for pk, recommendation_id in SignOff.objects.filter(
        recommendation__review__slug__startswith=PREFIX
    ).values_list("pk", "recommendation_id"):
        if rng.random() < 0.6:
            planned.append(
                (
                    at(),
                    "tracker.signoff",
                    str(pk),
                    "reviews.recommendation",
                    str(recommendation_id),
                    {"decision": [None, decision]},
                )
            )
    planned.sort(key=lambda row: row[0])
    with transaction.atomic():
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
        sequence, previous = (last[0], last[1]) if last else (0, GENESIS_HASH)
        events = []
        for when, target_type, target_id, subject_type, subject_id, changes in planned:
            sequence += 1
            kind = AuditEvent.Kind.CREATED if target_type == "tracker.signoff" else AuditEvent.Kind.UPDATED
            event = AuditEvent(
                sequence=sequence,
                at=when,
                kind=kind,
                actor_label=HISTORY_ACTOR,
                target_type=target_type,
                target_id=target_id,
                subject_type=subject_type,
                subject_id=subject_id,
                summary="Benchmark history",
                changes=changes,
                previous_hash=previous,
            )
            event.hash = previous = _event_hash(event)
            events.append(event)
        sequence += 1
        event = AuditEvent(
            sequence=sequence,
            at=now,
            kind=AuditEvent.Kind.CREATED,
            actor_label=HISTORY_ACTOR,
            previous_hash=previous,
            **marker,
        )
        event.hash = _event_hash(event)
        events.append(event)
        AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(events)


def _tallies_rebuild():
    """The stored aggregates' rebuild (decision 0032), or None on a code base without them."""
    try:
        from safeguarding.tracker.aggregates import tallies_rebuild
    except ImportError:
        return None
    return tallies_rebuild


def weekly_line_times(*, viewer_username: str, board_ids: list[int], today: datetime.date) -> None:
    """What the boards' 26-week line costs: read from the stored weeks, as the board dashboard and
    report do (decision 0032), and worked out from the audit trail on each request, as before."""
    try:
        from safeguarding.tracker.dashboards.report_data import scope_weekly_progress, weekly_progress
    except ImportError:
        return
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguarding.accounts.models import User
    from safeguarding.tracker.dashboards.selectors import (
        dashboard_scope,
        scope_action_counts,
        scope_recommendation_counts,
    )

    user = User.objects.get(username=viewer_username)

    def timed(line, repeat: int) -> tuple[list[float], list[int]]:
        times, queries = [], []
        for board_id in board_ids * repeat:
            scope = dashboard_scope(user=user, board_id=board_id)
            counts = scope_action_counts(scope=scope, today=today)
            total = scope_recommendation_counts(scope=scope).total
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                line(scope, counts, total)
                times.append((time.perf_counter() - start) * 1000)
            queries.append(len(captured.captured_queries))
        return times, queries

    stored = timed(
        lambda scope, counts, total: scope_weekly_progress(
            scope=scope,
            today=today,
            done_now=counts.done,
            actions_total=counts.total,
            recommendations_total=total,
        ),
        20,
    )
    report("26-week line, stored weeks", *stored)
    scratch = timed(
        lambda scope, counts, total: weekly_progress(
            board=scope.board, recommendations=scope.recommendations, actions=scope.actions, today=today
        ),
        3,
    )
    report("26-week line from the audit trail", *scratch)


def signed_in_client(*, username: str, roles: list[tuple[str, object]]):
    """A test client signed in as a verified member of staff holding `roles`."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguarding.accounts.models import Role, User

    user, _ = User.objects.get_or_create(
        username=username, defaults={"first_name": "Bench", "last_name": "Staff"}
    )
    for kind, scope in roles:
        field = {"agency": scope} if kind == Role.Kind.AGENCY_LEAD else {}
        Role.objects.get_or_create(user=user, kind=kind, **field)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Bench", confirmed=True
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench-tracker.sqlite3'}")
    parser.add_argument("--reviews", type=int, default=100)
    parser.add_argument("--per-review", type=int, default=50)
    parser.add_argument("--actions-per-recommendation", type=int, default=10)
    parser.add_argument("--evidence-per-action", type=int, default=4)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="keep data from an earlier run")
    parser.add_argument(
        "--sqlite",
        action="store_true",
        help="SQLite in var/bench-tracker.sqlite3, not --database-url says",
    )
    args = parser.parse_args()
    if args.sqlite:
        args.database_url = f"sqlite:///{ROOT / 'var' / 'bench-tracker.sqlite3'}"

    print(f"start: {load_average()}")
    django_setup(args.database_url)
    import django
    from django.utils import timezone

    from safeguarding.accounts.models import Role
    from safeguarding.partnership.models import Agency, Board
    from safeguarding.reviews.models import Recommendation, Review
    from safeguarding.tracker.models import Action, Evidence

    today = timezone.localdate()
    if not args.reuse or not Review.objects.filter(slug__startswith=PREFIX).exists():
        start = time.perf_counter()
        populate(
            reviews=args.reviews,
            per_review=args.per_review,
            actions_per=args.actions_per_recommendation,
            evidence_per=args.evidence_per_action,
            today=today,
        )
        print(f"loaded in {time.perf_counter() - start:.1f} s")
    elif (tallies_rebuild := _tallies_rebuild()) is not None:
        from safeguarding.tracker.aggregates import tallies_missing

        added = history_add(today=today)  # a database loaded before the history was part of the load
        if added:
            print(f"added {added:,} audit events of history")
        if added or tallies_missing():
            start = time.perf_counter()
            tallies_rebuild(today=today)
            print(f"stored aggregates rebuilt in {time.perf_counter() - start:.1f} s")
            if django.db.connection.vendor == "postgresql":
                with django.db.connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
    print(
        f"database: {django.db.connection.vendor}; reviews: {Review.objects.count()}; "
        f"recommendations: {Recommendation.objects.count()}; actions: {Action.objects.count()}; "
        f"evidence: {Evidence.objects.count()}"
    )

    rng = random.Random(7)
    review_ids = list(Review.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))
    board_ids = list(Board.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))
    agencies = list(Agency.objects.filter(slug__startswith=PREFIX))
    recommendation_ids = list(
        Recommendation.objects.filter(review__slug__startswith=PREFIX).values_list("pk", flat=True)
    )
    viewer = signed_in_client(username=f"{PREFIX}viewer", roles=[(Role.Kind.VIEWER, None)])
    lead = signed_in_client(username=f"{PREFIX}agency-lead", roles=[(Role.Kind.AGENCY_LEAD, agencies[0])])
    n = args.requests
    measure(viewer, ["/staff/dashboards/", f"/staff/dashboards/reviews/{review_ids[0]}/"])  # warm up
    suites = {
        "overview dashboard": (viewer, ["/staff/dashboards/"] * n),
        "overview, as an agency lead": (lead, ["/staff/dashboards/"] * n),
        "review dashboard": (
            viewer,
            [f"/staff/dashboards/reviews/{rng.choice(review_ids)}/" for _ in range(n)],
        ),
        "board dashboard": (viewer, [f"/staff/dashboards/boards/{rng.choice(board_ids)}/" for _ in range(n)]),
        "agency dashboard": (
            viewer,
            [f"/staff/dashboards/agencies/{rng.choice(agencies).pk}/" for _ in range(n)],
        ),
        "staff recommendation page": (
            viewer,
            [f"/staff/recommendations/{rng.choice(recommendation_ids)}/" for _ in range(n)],
        ),
    }
    report("bare Django view (baseline)", *bare_view_times(viewer, n))
    for name, (client, paths) in suites.items():
        probe = client.get(paths[0])
        if probe.status_code != 200:
            print(f"{name:<34} skipped: {paths[0]} answered {probe.status_code} (not built yet?)")
            continue
        report(name, *measure(client, paths))
    weekly_line_times(viewer_username=f"{PREFIX}viewer", board_ids=board_ids, today=today)
    print(f"end: {load_average()}")


if __name__ == "__main__":
    main()
