"""Triage pages for staff: the teams a worker belongs to, each team's queue, and one concern.

Every page needs a verified member of staff (`staff_required`); which teams and concerns they may
see is decided in permissions.py (404 for anything else). The queue shows only plain columns, so
nothing is decrypted to list it; opening a concern decrypts it and is written to the audit trail.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguarding.accounts.decorators import staff_required
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

from .clocks import clock_time_left
from .models import Concern, ConcernPerson, Sign
from .permissions import concern_for_user, team_for_user, teams_of
from .selectors import CursorInvalid, triage_queue

QUEUE_PAGE_SIZE = 50
CURSOR_INVALID_MESSAGE = (
    "That page of the queue could not be found, so this is the start of the queue. "
    "Use the links on this page to move through the queue."
)


@staff_required
@require_http_methods(["GET", "HEAD"])
def team_list(request: HttpRequest) -> HttpResponse:
    teams = list(teams_of(request.user))
    if len(teams) == 1:
        return redirect("concerns:team_queue", slug=teams[0].slug)
    return render(request, "concerns/team_list.html", {"teams": teams})


def _queue_row(concern: Concern, now) -> dict:
    time_left = (
        clock_time_left(deadline=concern.decision_due_at, now=now, about=concern.about)
        if concern.decision_due_at is not None
        else None
    )
    return {"concern": concern, "time_left": time_left}


@staff_required
@require_http_methods(["GET", "HEAD"])
def team_queue(request: HttpRequest, slug: str) -> HttpResponse:
    team = team_for_user(user=request.user, slug=slug)
    after = request.GET.get("after") or None
    cursor_invalid = False
    try:
        page = triage_queue(team=team, after=after, limit=QUEUE_PAGE_SIZE)
    except CursorInvalid:
        cursor_invalid, after = True, None
        page = triage_queue(team=team, limit=QUEUE_PAGE_SIZE)
    now = timezone.now()
    return render(
        request,
        "concerns/team_queue.html",
        {
            "team": team,
            "rows": [_queue_row(concern, now) for concern in page.rows],
            "next_cursor": page.next_cursor,
            "is_first_page": after is None,
            "cursor_invalid": cursor_invalid,
            "cursor_invalid_message": CURSOR_INVALID_MESSAGE,
            "has_other_teams": teams_of(request.user).count() > 1,
        },
    )


@staff_required
@require_http_methods(["GET", "HEAD"])
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    # Recorded before anything is shown: a view that is not in the audit trail must not happen.
    audit_record(
        kind=AuditEvent.Kind.VIEWED,
        actor=request.user,
        target=concern,
        summary=f"Concern {concern.reference} viewed",
    )
    people = list(concern.people.all())
    now = timezone.now()
    return render(
        request,
        "concerns/concern_detail.html",
        {
            "concern": concern,
            "time_left": _queue_row(concern, now)["time_left"],
            "signs": [Sign(code).label if code in Sign.values else code for code in concern.signs],
            "people_groups": [
                (label, [person for person in people if person.role == role])
                for role, label in ConcernPerson.Role.choices
                if any(person.role == role for person in people)
            ],
            "vehicles": list(concern.vehicles.all()),
            "phones": list(concern.phones.all()),
            "places": list(concern.places.all()),
            "online_accounts": list(concern.online_accounts.all()),
            "additional_information": list(concern.additional_information.all()),
            "routes": list(concern.routes.all()),
            "is_professional": concern.source != Concern.Source.PUBLIC,
            "shows_adult_wishes": concern.about != "child"
            or bool(concern.adult_knows or concern.adult_wants),
            "teams": list(teams_of(request.user)),
        },
    )
