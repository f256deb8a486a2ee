"""RAG status, computed from an action's due date, status and evidence: never typed by hand.

The rules, in order:
1. An override, with its written reason, wins (and is shown as an override).
2. Done (complete or impact evidenced) with at least one piece of evidence and all of it accepted:
   COMPLETE.
3. Done but evidence missing, waiting for review or returned: AMBER (the claim is not yet evidenced).
4. Not done and past its due date: RED.
5. Not done and due within AMBER_WORKING_DAYS working days: RED if not started, AMBER if in progress.
6. No due date: AMBER (nobody can tell whether it is on track).
7. Otherwise: GREEN.

`action_rag()` applies the rules to one action; `rag_annotation()` is the same rules as a SQL
expression, so dashboards can count thousands of actions in one query. Tests hold the two equal.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import Expression
from django.db.models.lookups import Exact

from safeguarding.core.working_days import add_working_days

from .models import Action, Evidence, Rag

AMBER_WORKING_DAYS = 10


@dataclass(frozen=True)
class RagStatus:
    rag: Rag
    reason: str
    is_override: bool = False


def _evidence_state(action: Action) -> tuple[bool, bool]:
    """(has any evidence, has evidence not accepted). Uses prefetched evidence when there is some."""
    states = [e.state for e in action.evidence.all()]
    return bool(states), any(s != Evidence.State.ACCEPTED for s in states)


def action_rag(action: Action, *, today: datetime.date) -> RagStatus:
    if action.rag_override:
        return RagStatus(Rag(action.rag_override), action.rag_override_reason, is_override=True)
    if action.is_done:
        has_evidence, has_unaccepted = _evidence_state(action)
        if has_evidence and not has_unaccepted:
            return RagStatus(Rag.COMPLETE, "Done, and all its evidence is accepted.")
        if not has_evidence:
            return RagStatus(Rag.AMBER, "Marked done, but no evidence has been supplied.")
        return RagStatus(Rag.AMBER, "Marked done, but some evidence is not yet accepted.")
    if action.due_date is None:
        return RagStatus(Rag.AMBER, "No due date has been set.")
    if action.due_date < today:
        return RagStatus(Rag.RED, "Overdue.")
    if action.due_date <= add_working_days(today, AMBER_WORKING_DAYS):
        if action.status == Action.Status.NOT_STARTED:
            return RagStatus(Rag.RED, f"Due within {AMBER_WORKING_DAYS} working days and not started.")
        return RagStatus(Rag.AMBER, f"Due within {AMBER_WORKING_DAYS} working days.")
    return RagStatus(Rag.GREEN, "On track.")


def rag_annotation(*, today: datetime.date) -> Expression:
    """The same rules as action_rag, as an expression: `Action.objects.annotate(rag=rag_annotation(...))`."""
    soon = add_working_days(today, AMBER_WORKING_DAYS)
    # One probe of the evidence per done action: the smallest of "is accepted" (1 or 0) over its
    # evidence is 1 when all of it is accepted, 0 when some is not, and NULL when there is none.
    all_accepted = Subquery(
        Evidence.objects.filter(action_id=OuterRef("pk"))
        .order_by()
        .values("action_id")
        .annotate(
            all_accepted=Min(
                Case(When(state=Evidence.State.ACCEPTED, then=Value(1)), default=Value(0)),
                output_field=IntegerField(),
            )
        )
        .values("all_accepted")
    )
    done = Q(status__in=list(Action.DONE))
    return Case(
        When(~Q(rag_override=""), then="rag_override"),
        When(done & Q(Exact(all_accepted, 1)), then=Value(Rag.COMPLETE.value)),
        When(done, then=Value(Rag.AMBER.value)),
        When(due_date__isnull=True, then=Value(Rag.AMBER.value)),
        When(due_date__lt=today, then=Value(Rag.RED.value)),
        When(Q(due_date__lte=soon, status=Action.Status.NOT_STARTED), then=Value(Rag.RED.value)),
        When(due_date__lte=soon, then=Value(Rag.AMBER.value)),
        default=Value(Rag.GREEN.value),
    )
