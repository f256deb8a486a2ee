"""Triage pages for staff: the teams a worker belongs to, each team's queue, one concern, and the
work done on it (assignment, decisions, notes, attachments, information sharing, retention).

Every page needs a verified member of staff (`staff_required`); which teams and concerns they may
see is decided in permissions.py (404 for anything else). The queue shows only plain columns, so
nothing is decrypted to list it; opening a concern, or any page about one, is written to the audit
trail. Every change is a POST through a service in services.py, which audits it.
"""

import datetime
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safeguarding.accounts.decorators import AuthenticatedHttpRequest, staff_required
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.downloads import private_file_response
from safeguarding.core.middleware import request_body_limit
from safeguarding.core.uploads import UPLOAD_REQUEST_MAX_BYTES

from . import selectors, services
from .clocks import clock_time_left, urgent_decision_hours
from .forms import (
    ABOUT_SHORT,
    ASSIGNED_CHOICES,
    SHOW_CHOICES,
    SOURCE_SHORT,
    AssignForm,
    AttachmentForm,
    DecisionForm,
    InformationShareForm,
    LegalHoldForm,
    NoteForm,
    PoliceCallForm,
    QueueFilterForm,
    ReferenceSearchForm,
    TeamShareForm,
    UrgencyRemovalForm,
)
from .models import Concern, ConcernPerson, Sign, Team
from .panels import concern_panels
from .permissions import concern_for_user, team_for_user, teams_of
from .selectors import CursorInvalid, QueueFilters, triage_queue

QUEUE_PAGE_SIZE = 50
# The count of matches stops here ("more than 200"): counting never reads a million rows.
QUEUE_COUNT_CAP = 200
CURSOR_INVALID_MESSAGE = (
    "That page of the queue could not be found, so this is the start of the queue. "
    "Use the links on this page to move through the queue."
)


@staff_required
@require_http_methods(["GET", "HEAD"])
def team_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    teams = list(teams_of(request.user))
    if len(teams) == 1:
        return redirect("concerns:team_queue", slug=teams[0].slug)
    return render(request, "concerns/team_list.html", {"teams": teams})


def _row_tags(concern: Concern) -> list[tuple[str, str]]:
    """The tags on a queue row, as (text, colour class): words first, colour only as a second cue."""
    tags = []
    if concern.immediate_danger:
        tags.append(("Immediate danger", "govuk-tag--red"))
    if concern.urgent:
        tags.append(("Urgent", "govuk-tag--orange"))
    if concern.has_signs:
        tags.append(("Signs of exploitation", "govuk-tag--purple"))
    tags.append((ABOUT_SHORT.get(concern.about, concern.about), "govuk-tag--turquoise"))
    tags.append((SOURCE_SHORT.get(concern.source, concern.source), "govuk-tag--grey"))
    return tags


def _queue_row(
    concern: Concern, now: datetime.datetime, assignees: Mapping[int, User] | None = None
) -> dict[str, Any]:
    time_left = (
        clock_time_left(
            deadline=concern.decision_due_at,
            now=now,
            about=concern.about,
            urgent=concern.urgent or concern.immediate_danger,
        )
        if concern.decision_due_at is not None
        else None
    )
    assignee = assignees.get(concern.assigned_to_id) if assignees and concern.assigned_to_id else None
    return {"concern": concern, "time_left": time_left, "assignee": assignee, "tags": _row_tags(concern)}


_FILTER_KEYS = ("assigned", "show", "status", "source", "about", "q")


def _filter_params(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The filters as address parameters, in one order, so each filter's address is always the same."""
    params: list[tuple[str, str]] = []
    for key in _FILTER_KEYS:
        value = data.get(key)
        for item in value if isinstance(value, list) else [value]:
            if item:
                params.append((key, str(item)))
    return params


def _query(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _selected_filters(path: str, params: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The filters in force, by heading, each with the address of the queue without it (MoJ tags)."""
    labels = {
        "assigned": ("Assigned to", dict(ASSIGNED_CHOICES)),
        "show": ("Showing only", dict(SHOW_CHOICES)),
        "status": ("Status", dict(Concern.Status.choices)),
        "source": ("Reported by", SOURCE_SHORT),
        "about": ("About", ABOUT_SHORT),
        "q": ("Reference", {}),
    }
    groups: list[dict[str, Any]] = []
    for key, (heading, names) in labels.items():
        tags = [
            {
                "text": names.get(value, value),
                "remove": _query(path, [p for p in params if p != (key, value)]),
            }
            for name, value in params
            if name == key
        ]
        if tags:
            groups.append({"heading": heading, "tags": tags})
    return groups


def _queue_page(
    request: AuthenticatedHttpRequest,
    team: Team,
    *,
    filter_form: QueueFilterForm,
    search_form: ReferenceSearchForm,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "team": team,
        "filter_form": filter_form,
        "search_form": search_form,
        "assigned_choices": ASSIGNED_CHOICES,
        "show_choices": SHOW_CHOICES,
        "has_other_teams": teams_of(request.user).count() > 1,
        "count_cap": QUEUE_COUNT_CAP,
        "rows": [],
        "is_first_page": True,
    }
    if filter_form.is_valid():
        data = filter_form.cleaned_data
        params = _filter_params(data)
        path = reverse("concerns:team_queue", kwargs={"slug": team.slug})
        filters = QueueFilters(
            assigned=data["assigned"] or None,
            user_id=request.user.pk,
            show=frozenset(data["show"]),
            status=data["status"] or None,
            source=data["source"] or None,
            about=data["about"] or None,
            reference=data["q"] or None,
        )
        after = request.GET.get("after") or None
        cursor_invalid = False
        try:
            page = triage_queue(
                team=team, after=after, limit=QUEUE_PAGE_SIZE, filters=filters, count_up_to=QUEUE_COUNT_CAP
            )
        except CursorInvalid:
            cursor_invalid, after = True, None
            page = triage_queue(
                team=team, limit=QUEUE_PAGE_SIZE, filters=filters, count_up_to=QUEUE_COUNT_CAP
            )
        now = timezone.now()
        # Who has each concern: one query for the page, not one per row.
        assignees = get_user_model().objects.in_bulk(
            {c.assigned_to_id for c in page.rows if c.assigned_to_id}
        )
        context.update(
            {
                "filtered": filters.active,
                "reference": filters.reference,
                "selected_filters": _selected_filters(path, params),
                "filters_query": urlencode(params),
                "rows": [_queue_row(concern, now, assignees) for concern in page.rows],
                "count": page.count,
                "count_more": page.count_more,
                "next_query": _query(path, [*params, ("after", page.next_cursor)])
                if page.next_cursor
                else None,
                "first_query": _query(path, params),
                "is_first_page": after is None,
                "cursor_invalid": cursor_invalid,
                "cursor_invalid_message": CURSOR_INVALID_MESSAGE,
            }
        )
    else:
        context["invalid"] = True
    return render(request, "concerns/team_queue.html", context, status=status)


@staff_required
@require_http_methods(["GET", "HEAD"])
def team_queue(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A team's queue, narrowed by the filters in the address (codes only: docs/decisions/0030)."""
    team = team_for_user(user=request.user, slug=slug)
    data = request.GET.copy()
    for key in ("assigned", "status", "source", "about"):
        data.setdefault(key, "")  # so that "Anyone" is the choice shown when nothing is chosen
    filter_form = QueueFilterForm(data)
    valid = filter_form.is_valid()
    if valid and any(key in request.GET and not request.GET.get(key) for key in _FILTER_KEYS):
        # The filter form sends "Anyone" as an empty value: give the clean address of the same queue.
        params = _filter_params(filter_form.cleaned_data)
        after = request.GET.get("after")
        path = reverse("concerns:team_queue", kwargs={"slug": team.slug})
        return redirect(_query(path, [*params, ("after", after)] if after else params))
    return _queue_page(
        request,
        team,
        filter_form=filter_form,
        search_form=ReferenceSearchForm(),
        status=200 if valid else 400,
    )


@staff_required
@require_POST
def team_queue_search(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Find a concern by reference: posted, so that what was typed (a name, by mistake) is never in an
    address; a reference, which is not personal data, then goes into the queue's address as q."""
    team = team_for_user(user=request.user, slug=slug)
    search_form = ReferenceSearchForm(request.POST)
    if search_form.is_valid():
        url = reverse("concerns:team_queue", kwargs={"slug": team.slug})
        return redirect(_query(url, [("q", search_form.cleaned_data["reference"])]))
    return _queue_page(
        request,
        team,
        filter_form=QueueFilterForm(dict.fromkeys(("assigned", "status", "source", "about"), "")),
        search_form=search_form,
        status=400,
    )


@staff_required
@require_http_methods(["GET", "HEAD"])
def concern_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    # Recorded before anything is shown: a view that is not in the audit trail must not happen.
    audit_record(
        kind=AuditEvent.Kind.VIEWED,
        actor=request.user,
        target=concern,
        summary=f"Concern {concern.reference} viewed",
    )
    people = list(concern.people.all())
    police_records = list(concern.police_call_records.select_related("recorded_by"))
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
            "decisions": list(concern.decisions.all()),
            "notes": list(concern.notes.all()),
            "attachments": list(concern.attachments.all()),
            "information_shares": list(concern.information_shares.all()),
            "legal_hold_change": concern.legal_hold_changes.last() if concern.legal_hold else None,
            "can_close": concern.status == Concern.Status.DECIDED,
            "can_reopen": concern.status in (Concern.Status.DECIDED, Concern.Status.CLOSED),
            # What apps above concerns add (linking: whether the concern is linked), panels.py.
            "panels": concern_panels(concern=concern, user=request.user),
            # Immediate danger was reported: ask, until answered, whether the police were called.
            "police_call": police_records[-1] if police_records else None,
            "police_prompt": concern.immediate_danger and not police_records,
            "police_form": PoliceCallForm(),
            "can_mark_urgent": not concern.urgent and concern.status != Concern.Status.CLOSED,
            "can_remove_urgent": concern.urgent and concern.status != Concern.Status.CLOSED,
            "urgent_hours": urgent_decision_hours(),
            "timeline": selectors.concern_timeline(concern),
        },
    )


# --- Triage actions ---------------------------------------------------------------------------------


def _to_detail(concern: Concern) -> HttpResponse:
    return redirect("concerns:concern_detail", pk=concern.pk)


def _form_page(
    request: AuthenticatedHttpRequest,
    *,
    concern: Concern,
    form: Any,
    page: str,
    template: str,
    act: Callable[[Any], Any],
    done: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A page with one form about one concern: GET shows it (audited), POST acts through a service."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, done)
            return _to_detail(concern)
    services.concern_viewed(by=request.user, concern=concern, page=page)
    return render(
        request,
        template,
        {"concern": concern, "form": form, "page_title": page, **(extra or {})},
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def concern_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    form = AssignForm(request.POST or None, people=selectors.receiving_team_members(concern))
    return _form_page(
        request,
        concern=concern,
        form=form,
        page="Assign the concern",
        template="concerns/concern_form.html",
        act=lambda data: services.concern_assign(concern=concern, assignee=data["assignee"], by=request.user),
        done="The concern has been assigned.",
        extra={"button": "Assign the concern"},
    )


@staff_required
@require_POST
def concern_unassign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    try:
        services.concern_unassign(concern=concern, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The concern is no longer assigned to anyone.")
    return _to_detail(concern)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def concern_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    form = DecisionForm(request.POST or None, options=selectors.decision_options_for(concern))
    return _form_page(
        request,
        concern=concern,
        form=form,
        page="Record a decision",
        template="concerns/concern_form.html",
        act=lambda data: services.concern_decide(
            concern=concern, option=data["option"], reasons=data["reasons"], by=request.user
        ),
        done="The decision has been recorded.",
        extra={"button": "Record the decision"},
    )


def _status_post(
    request: AuthenticatedHttpRequest, pk: int, change: Callable[..., Concern], done: str
) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    try:
        change(concern=concern, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, done)
    return _to_detail(concern)


@staff_required
@require_POST
def concern_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _status_post(request, pk, services.concern_close, "The concern has been closed.")


@staff_required
@require_POST
def concern_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _status_post(request, pk, services.concern_reopen, "The concern has been reopened.")


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def concern_note_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    return _form_page(
        request,
        concern=concern,
        form=NoteForm(request.POST or None),
        page="Add a note",
        template="concerns/concern_form.html",
        act=lambda data: services.note_add(concern=concern, text=data["text"], by=request.user),
        done="The note has been added.",
        extra={"button": "Add the note"},
    )


@request_body_limit(UPLOAD_REQUEST_MAX_BYTES)
@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def concern_attachment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)

    def act(data: dict[str, Any]) -> Any:
        upload = data["file"]
        return services.attachment_add(concern=concern, file=upload, name=upload.name or "", by=request.user)

    return _form_page(
        request,
        concern=concern,
        form=AttachmentForm(request.POST or None, request.FILES or None),
        page="Add an attachment",
        template="concerns/concern_form.html",
        act=act,
        done="The file has been added.",
        extra={"button": "Upload the file", "multipart": True},
    )


@staff_required
@require_http_methods(["GET", "HEAD"])
def concern_attachment_download(
    request: AuthenticatedHttpRequest, pk: int, attachment_pk: int
) -> HttpResponse | FileResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    attachment = concern.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404("No attachment found")
    try:
        handle = services.attachment_open(attachment=attachment, by=request.user)
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    except services.AttachmentAltered:
        return render(request, "concerns/attachment_altered.html", {"concern": concern}, status=409)
    return private_file_response(
        handle,
        filename=attachment.original_name or f"attachment-{attachment.pk}",
        content_type=attachment.content_type,
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def concern_information_share_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    initial = {"decided_by": request.user.get_full_name(), "shared_on": timezone.localdate()}

    def act(data: dict[str, Any]) -> Any:
        details = services.ShareDetails(
            **{name: data[name] for name in services.ShareDetails.__dataclass_fields__}
        )
        return services.information_share_record(concern=concern, details=details, by=request.user)

    return _form_page(
        request,
        concern=concern,
        form=InformationShareForm(request.POST or None, initial=initial),
        page="Record information shared with another agency",
        template="concerns/concern_form.html",
        act=act,
        done="The information sharing has been recorded.",
        extra={"button": "Record it"},
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def concern_team_share(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    teams = Team.objects.exclude(routes__concern=concern).order_by("name")
    return _form_page(
        request,
        concern=concern,
        form=TeamShareForm(request.POST or None, teams=teams),
        page="Share the concern with another team",
        template="concerns/concern_form.html",
        act=lambda data: services.concern_share_with_team(
            concern=concern, team=data["team"], reason=data["reason"], by=request.user
        ),
        done="The concern has been shared with the team.",
        extra={"button": "Share the concern"},
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def concern_legal_hold(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    holding = not concern.legal_hold
    change = services.legal_hold_set if holding else services.legal_hold_clear
    return _form_page(
        request,
        concern=concern,
        form=LegalHoldForm(request.POST or None),
        page="Place the concern on legal hold" if holding else "Lift the legal hold",
        template="concerns/concern_form.html",
        act=lambda data: change(concern=concern, reason=data["reason"], by=request.user),
        done="The concern is on legal hold." if holding else "The legal hold has been lifted.",
        extra={"button": "Place on legal hold" if holding else "Lift the legal hold"},
    )


@staff_required
@require_POST
def concern_mark_urgent(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hours = urgent_decision_hours()
    return _status_post(
        request,
        pk,
        services.concern_mark_urgent,
        f"The concern is marked urgent: a decision is due within {hours} hour{'' if hours == 1 else 's'}.",
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def concern_remove_urgent(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    return _form_page(
        request,
        concern=concern,
        form=UrgencyRemovalForm(request.POST or None),
        page="Remove urgent",
        template="concerns/concern_form.html",
        act=lambda data: services.concern_remove_urgent(
            concern=concern, reason=data["reason"], by=request.user
        ),
        done="The concern is no longer urgent.",
        extra={"button": "Remove urgent"},
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def concern_police_call(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    return _form_page(
        request,
        concern=concern,
        form=PoliceCallForm(request.POST or None),
        page="Record whether the police were called",
        template="concerns/concern_form.html",
        act=lambda data: services.police_call_record(
            concern=concern, answer=data["answer"], note=data["note"], by=request.user
        ),
        done="Whether the police were called has been recorded.",
        extra={"button": "Record the answer"},
    )
