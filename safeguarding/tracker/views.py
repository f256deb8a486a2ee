"""Staff pages for the work on recommendations: actions, progress notes, evidence, RAG overrides and
sign-off. Every view needs a verified member of staff with a part in the tracker (`tracker_required`);
what they may see and do is decided in permissions.py, through the selectors (404 for what they
cannot see) and the services (403 for what they may not do).
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguarding.accounts.decorators import AuthenticatedHttpRequest
from safeguarding.core.downloads import private_file_response
from safeguarding.core.middleware import request_body_limit
from safeguarding.core.uploads import UPLOAD_REQUEST_MAX_BYTES
from safeguarding.tracker.decorators import tracker_required

from . import permissions, selectors, services, timeline
from .forms import (
    ActionForm,
    EvidenceForm,
    EvidenceReviewForm,
    ProgressNoteForm,
    RagOverrideClearForm,
    RagOverrideForm,
    RecommendationFilterForm,
    SignOffForm,
)
from .models import Action, Evidence
from .rag import action_rag

PAGE_SIZE = 25


def _see_other(to: str, **kwargs: Any) -> HttpResponse:
    response = redirect(to, **kwargs)
    response.status_code = 303
    return response


# --- Recommendations -------------------------------------------------------------------------------


@tracker_required
@require_http_methods(["GET", "HEAD"])
def recommendation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RecommendationFilterForm(request.GET, options=selectors.recommendation_filter_options())
    filters = form.filters()
    recommendations = selectors.recommendation_list(user=request.user, **filters)
    page = Paginator(recommendations, PAGE_SIZE).get_page(request.GET.get("page"))
    summaries = selectors.recommendation_summaries(list(page.object_list), today=timezone.localdate())
    return render(
        request,
        "tracker/recommendation_list.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "query_params": request.GET,
            "summaries": summaries,
            "is_filtered": any(filters.values()),
        },
    )


@tracker_required
@require_http_methods(["GET", "HEAD"])
def recommendation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_for_user(user=request.user, pk=pk)
    today = timezone.localdate()
    actions = [
        {
            "action": action,
            "rag": action_rag(action, today=today),
            "evidence": list(action.evidence.all()),
            "can_edit": permissions.can_edit_action(request.user, action),
        }
        for action in recommendation.actions.all()
    ]
    return render(
        request,
        "tracker/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "actions": actions,
            "progress": selectors.recommendation_progress(recommendation),
            "history": selectors.recommendation_history(recommendation=recommendation),
            "can_create_action": permissions.can_create_action(request.user, recommendation),
            "can_sign_off": bool(permissions.sign_off_board_ids(request.user, recommendation)),
        },
    )


@tracker_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_for_user(user=request.user, pk=pk)
    if not permissions.can_create_action(request.user, recommendation):
        raise PermissionDenied
    form = ActionForm(request.POST or None, initial={"status": Action.Status.NOT_STARTED})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                recommendation=recommendation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Action {action.pk} added.")
            return _see_other("tracker:action_detail", pk=action.pk)
    return render(request, "tracker/action_create.html", {"recommendation": recommendation, "form": form})


@tracker_required
@require_http_methods(["GET", "HEAD", "POST"])
def sign_off_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_for_user(user=request.user, pk=pk)
    board_ids = permissions.sign_off_board_ids(request.user, recommendation)
    if not board_ids:
        raise PermissionDenied
    boards = [board for board in selectors.addressed_boards(recommendation) if board.pk in board_ids]
    form = SignOffForm(request.POST or None, boards=boards)
    if request.method == "POST" and form.is_valid():
        try:
            sign_off = services.sign_off_record(
                recommendation=recommendation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"{sign_off.board.short_name} decision recorded.")
            return _see_other("tracker:recommendation_detail", pk=recommendation.pk)
    return render(
        request,
        "tracker/sign_off_create.html",
        {
            "recommendation": recommendation,
            "form": form,
            "progress": selectors.recommendation_progress(recommendation),
        },
    )


# --- Actions ---------------------------------------------------------------------------------------


def _action_page(request: AuthenticatedHttpRequest, action: Action) -> HttpResponse:
    """The action, what can be done with it (each task a page of its own), and its timeline."""
    user = request.user
    return render(
        request,
        "tracker/action_detail.html",
        {
            "action": action,
            "recommendation": action.recommendation,
            "rag": action_rag(action, today=timezone.localdate()),
            "evidence": list(action.evidence.all()),
            "timeline": timeline.action_timeline(action=action),
            "can_edit": permissions.can_edit_action(user, action),
            "can_override": permissions.can_override_rag(user, action),
        },
    )


def _task_page(
    request: AuthenticatedHttpRequest, action: Action, *, task: str, form: Any, status: int = 200
) -> HttpResponse:
    """One task on an action, on a page of its own: its heading, its form, and a way back."""
    return render(
        request,
        f"tracker/action_{task}.html",
        {
            "action": action,
            "recommendation": action.recommendation,
            "rag": action_rag(action, today=timezone.localdate()),
            "form": form,
        },
        status=status,
    )


def _editable_action(request: AuthenticatedHttpRequest, pk: int) -> Action:
    action = selectors.action_for_user(user=request.user, pk=pk)
    if not permissions.can_edit_action(request.user, action):
        raise PermissionDenied
    return action


def _overridable_action(request: AuthenticatedHttpRequest, pk: int) -> Action:
    action = selectors.action_for_user(user=request.user, pk=pk)
    if not permissions.can_override_rag(request.user, action):
        raise PermissionDenied
    return action


@tracker_required
@require_http_methods(["GET", "HEAD"])
def action_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action_page(request, selectors.action_for_user(user=request.user, pk=pk))


@tracker_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = _editable_action(request, pk)
    can_assign = permissions.can_assign_action(request.user, action)
    if request.method != "POST":
        initial = {
            "description": action.description,
            "owner_agency": action.owner_agency_id,
            "lead": action.lead_id,
            "due_date": action.due_date,
            "status": action.status,
        }
        form = ActionForm(initial=initial, can_assign=can_assign, agency=action.owner_agency)
        return _task_page(request, action, task="change", form=form)
    form = ActionForm(request.POST, can_assign=can_assign, agency=action.owner_agency)
    if form.is_valid():
        try:
            services.action_update(action=action, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Action updated.")
            return _see_other("tracker:action_detail", pk=action.pk)
    return _task_page(request, action, task="change", form=form)


@tracker_required
@require_http_methods(["GET", "HEAD", "POST"])
def progress_note_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = _editable_action(request, pk)
    if request.method != "POST":
        return _task_page(request, action, task="note", form=ProgressNoteForm())
    form = ProgressNoteForm(request.POST)
    if form.is_valid():
        try:
            services.progress_note_add(action=action, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Progress note added.")
            return _see_other("tracker:action_detail", pk=action.pk)
    return _task_page(request, action, task="note", form=form)


@request_body_limit(UPLOAD_REQUEST_MAX_BYTES)
@tracker_required
@require_http_methods(["GET", "HEAD", "POST"])
def evidence_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = _editable_action(request, pk)
    if request.method != "POST":
        form = EvidenceForm(initial={"effective_date": timezone.localdate()})
        return _task_page(request, action, task="evidence", form=form)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data.pop("file")
        try:
            evidence = services.evidence_add(
                action=action,
                by=request.user,
                file=upload,
                file_name=upload.name if upload else "",
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Evidence “{evidence.title}” added. It is waiting for review.")
            return _see_other("tracker:action_detail", pk=action.pk)
    return _task_page(request, action, task="evidence", form=form)


@tracker_required
@require_http_methods(["GET", "HEAD", "POST"])
def rag_override_set(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = _overridable_action(request, pk)
    if request.method != "POST":
        form = RagOverrideForm(initial={"rag": action.rag_override})
        return _task_page(request, action, task="rag_override", form=form)
    form = RagOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.action_rag_override_set(action=action, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "RAG override saved.")
            return _see_other("tracker:action_detail", pk=action.pk)
    return _task_page(request, action, task="rag_override", form=form)


@tracker_required
@require_http_methods(["GET", "HEAD", "POST"])
def rag_override_clear(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = _overridable_action(request, pk)
    if request.method != "POST":
        if not action.rag_override:  # nothing to remove: the action's page says what its status is
            return _see_other("tracker:action_detail", pk=action.pk)
        return _task_page(request, action, task="rag_override_clear", form=RagOverrideClearForm())
    form = RagOverrideClearForm(request.POST)
    if form.is_valid():
        try:
            services.action_rag_override_clear(action=action, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "RAG override removed: the computed status shows again.")
            return _see_other("tracker:action_detail", pk=action.pk)
    return _task_page(request, action, task="rag_override_clear", form=form)


# --- Evidence --------------------------------------------------------------------------------------


@tracker_required
@require_http_methods(["GET", "HEAD", "POST"])
def evidence_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_for_user(user=request.user, pk=pk)
    can_review = permissions.can_review_evidence(request.user, evidence)
    form = None
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied
        form = EvidenceReviewForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "accept":
                    services.evidence_accept(evidence=evidence, by=request.user)
                else:
                    services.evidence_return(
                        evidence=evidence, reason=form.cleaned_data["reason"], by=request.user
                    )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                verb = "accepted" if form.cleaned_data["decision"] == "accept" else "returned"
                messages.success(request, f"Evidence “{evidence.title}” {verb}.")
                return _see_other("tracker:action_detail", pk=evidence.action_id)
    elif can_review and evidence.supplied_by_id != request.user.pk:
        form = EvidenceReviewForm()
    return render(
        request,
        "tracker/evidence_detail.html",
        {
            "evidence": evidence,
            "action": evidence.action,
            "recommendation": evidence.action.recommendation,
            "form": form,
            "can_review": can_review,
            "supplied_it": evidence.supplied_by_id == request.user.pk,
        },
    )


@tracker_required
@require_http_methods(["GET", "HEAD"])
def evidence_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse | FileResponse:
    evidence = selectors.evidence_for_user(user=request.user, pk=pk)
    if evidence.kind != Evidence.Kind.FILE or not evidence.file:
        raise Http404("This evidence has no file.")
    try:
        handle = services.evidence_file_open(evidence=evidence, by=request.user)
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    except services.EvidenceFileAltered:
        return render(request, "tracker/evidence_altered.html", {"evidence": evidence}, status=409)
    return private_file_response(
        handle,
        filename=evidence.original_name or f"evidence-{evidence.pk}",
        content_type=evidence.content_type,
    )
