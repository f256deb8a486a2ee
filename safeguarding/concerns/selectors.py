"""Reading concerns: queues per team, and concerns that reached no team.

Access control (who may see which queue) belongs to the triage views built on these; every read of a
concern's content must be audited by the caller with `audit_record(kind="viewed", ...)`.
"""

from django.db.models import QuerySet

from .models import Concern, Team


def team_concerns(*, team: Team) -> QuerySet[Concern]:
    """The concerns routed to `team`: urgent first, then oldest first."""
    return Concern.objects.filter(routes__team=team).order_by("-urgent", "received_at", "id").distinct()


def concerns_unrouted() -> QuerySet[Concern]:
    """Concerns routed to no team at all: should never happen; an administrator must act on any."""
    return Concern.objects.exclude(routes__team__isnull=False).order_by("received_at", "id")
