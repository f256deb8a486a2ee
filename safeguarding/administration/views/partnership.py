"""The partnership's name and area, its boards and its agencies: change the partnership; list, add,
change and remove (while nothing names them) boards and agencies."""

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safeguarding.accounts.decorators import AuthenticatedHttpRequest
from safeguarding.partnership.models import Agency, Board, Partnership

from .. import selectors, services
from ..forms import AgencyForm, BoardForm, PartnershipForm
from ..permissions import administrator_required
from .common import confirm_page, form_page, posted, section_crumb

KEEPS_SLUG = "Its address name, “{slug}”, stays as it is when you rename it, so links to it keep working."


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def partnership_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = Partnership.objects.current()
    here = reverse("administration:partnership_edit")
    return form_page(
        request,
        form=PartnershipForm(posted(request), initial=PartnershipForm.initial_for(current)),
        title="The partnership",
        button="Save",
        act=lambda f: services.partnership_update(by=request.user, **f.cleaned_data),
        done="Partnership saved. Every page shows the new details now.",
        back=reverse("administration:index"),
        then=lambda _: here,
        section="partnership",
        intro="The partnership's name is at the top of every page, public and staff.",
    )


def _remove_page(
    request: AuthenticatedHttpRequest,
    *,
    record: Board | Agency,
    noun: str,
    section: str,
    list_url_name: str,
    act: Callable[[], Any],
) -> HttpResponse:
    """Are you sure? for a board or agency nothing names; otherwise why it cannot go (400 if posted)."""
    back = reverse(list_url_name)
    references = selectors.record_references(record)
    if references:
        return render(
            request,
            "administration/cannot_remove.html",
            {
                "page_title": f"You cannot remove the {noun} “{record}”",
                "named_by": selectors.references_in_words(references),
                "noun": noun,
                "back": back,
                "section": section,
                **section_crumb(section),
            },
            status=400 if request.method == "POST" else 200,
        )
    return confirm_page(
        request,
        title=f"Remove the {noun} “{record}”?",
        body=f"Nothing in the toolkit names this {noun}, so it can go. The audit trail keeps what it was.",
        button=f"Remove the {noun}",
        act=act,
        done=f"The {noun} “{record}” has been removed.",
        back=back,
        section=section,
        warning=True,
    )


@administrator_required
@require_http_methods(["GET", "HEAD"])
def board_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "administration/board_list.html", {"boards": selectors.boards_all(), "section": "boards"}
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def board_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=BoardForm(posted(request)),
        title="Add a board",
        button="Add the board",
        act=lambda f: services.board_create(by=request.user, **f.cleaned_data),
        done="Board added. You can now give people roles on it.",
        back=reverse("administration:board_list"),
        section="boards",
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def board_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    board = get_object_or_404(Board, pk=pk)
    return form_page(
        request,
        form=BoardForm(posted(request), initial=BoardForm.initial_for(board)),
        title=f"Change the board “{board.name}”",
        button="Save the board",
        act=lambda f: services.board_update(board=board, by=request.user, **f.cleaned_data),
        done="Board saved.",
        back=reverse("administration:board_list"),
        section="boards",
        intro=KEEPS_SLUG.format(slug=board.slug),
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def board_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    board = get_object_or_404(Board, pk=pk)
    return _remove_page(
        request,
        record=board,
        noun="board",
        section="boards",
        list_url_name="administration:board_list",
        act=lambda: services.board_delete(board=board, by=request.user),
    )


@administrator_required
@require_http_methods(["GET", "HEAD"])
def agency_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "administration/agency_list.html",
        {"agencies": selectors.agencies_all(), "section": "agencies"},
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def agency_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=AgencyForm(posted(request), initial={"sector": Agency.Sector.OTHER}),
        title="Add an agency",
        button="Add the agency",
        act=lambda f: services.agency_create(by=request.user, **f.cleaned_data),
        done="Agency added. You can now choose it for users, API tokens and actions.",
        back=reverse("administration:agency_list"),
        section="agencies",
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def agency_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=pk)
    return form_page(
        request,
        form=AgencyForm(posted(request), initial=AgencyForm.initial_for(agency)),
        title=f"Change the agency “{agency.name}”",
        button="Save the agency",
        act=lambda f: services.agency_update(agency=agency, by=request.user, **f.cleaned_data),
        done="Agency saved.",
        back=reverse("administration:agency_list"),
        section="agencies",
        intro=KEEPS_SLUG.format(slug=agency.slug),
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def agency_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=pk)
    return _remove_page(
        request,
        record=agency,
        noun="agency",
        section="agencies",
        list_url_name="administration:agency_list",
        act=lambda: services.agency_delete(agency=agency, by=request.user),
    )
