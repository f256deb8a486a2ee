"""The partnership manager's pages: the recent quarters, a live preview of one, and a prepared
publication to review, publish, discard or withdraw. Each page needs a verified member of staff who
manages statistics (404 for anyone else); each showing of figures is audited, with counts only."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safeguarding.accounts.decorators import AuthenticatedHttpRequest, staff_required
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

from . import services
from .disclosure import DisclosureError
from .models import Publication
from .permissions import statistics_check
from .quarters import Quarter, quarters_recent
from .selectors import publication_tables, publications_by_quarter, tables_shown


def key_context() -> dict[str, Any]:
    threshold = settings.STATISTICS_THRESHOLD
    return {
        "threshold": threshold,
        "threshold_minus_one": threshold - 1,
        "threshold_label": f"fewer than {threshold}",
        "rounding": settings.STATISTICS_ROUNDING,
    }


def _quarter(text: str) -> Quarter:
    quarter = Quarter.parse(text)
    if quarter is None:
        raise Http404("No such quarter")
    return quarter


@staff_required
@require_http_methods(["GET", "HEAD"])
def quarter_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    statistics_check(request.user)
    quarters = quarters_recent()
    found = publications_by_quarter(quarters=quarters)
    rows = []
    for quarter in quarters:
        publications = found[str(quarter)]
        published = next((p for p in publications if p.state == Publication.State.PUBLISHED), None)
        draft = next((p for p in publications if p.state == Publication.State.DRAFT), None)
        rows.append((quarter, publications, published, draft))
    return render(request, "statistics/quarter_list.html", {"rows": rows, **key_context()})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def quarter_preview(request: AuthenticatedHttpRequest, quarter: str) -> HttpResponse:
    statistics_check(request.user)
    chosen = _quarter(quarter)
    form_error = ""
    if request.method == "POST":
        try:
            publication = services.publication_prepare(quarter=chosen, user=request.user)
        except ValidationError as error:
            form_error = error.messages[0]
        else:
            messages.success(request, "Figures prepared. Review them, then publish or discard them.")
            return redirect("statistics:publication_detail", pk=publication.pk)
    try:
        figures, release = services.release_for(quarter=chosen)
    except DisclosureError:
        return render(
            request,
            "statistics/quarter_preview.html",
            {"quarter": chosen, "tables": [], "unprotectable": True, **key_context()},
        )
    audit_record(
        kind=AuditEvent.Kind.VIEWED,
        actor=request.user,
        summary=f"Statistics for {chosen} previewed",
        data={"quarter": str(chosen)},
    )

    class Figure:
        def __init__(self, key: str) -> None:
            self.status, self.shown, self.value = (
                release.statuses[key],
                release.shown[key],
                release.values[key],
            )

    by_name = {table.name: table for table in figures.tables}
    context = key_context()
    tables = tables_shown(
        layout=[table.as_layout() for table in figures.tables],
        figure=lambda name, row, column: Figure(by_name[name].key(row, column)),
        threshold_label=context["threshold_label"],
    )
    return render(
        request,
        "statistics/quarter_preview.html",
        {
            "quarter": chosen,
            "tables": tables,
            "is_demo": figures.is_demo,
            "form_error": form_error,
            **context,
        },
        status=400 if form_error else 200,
    )


def _publication(request: AuthenticatedHttpRequest, pk: int) -> Publication:
    statistics_check(request.user)
    return get_object_or_404(Publication, pk=pk)


def _detail(
    request: AuthenticatedHttpRequest,
    publication: Publication,
    *,
    form_error: str = "",
    error_field: str = "",
) -> HttpResponse:
    context = key_context()
    context["threshold"] = publication.threshold
    context["threshold_minus_one"] = publication.threshold - 1
    context["threshold_label"] = f"fewer than {publication.threshold}"
    context["rounding"] = publication.rounding
    replaces = None
    if publication.state == Publication.State.DRAFT:
        replaces = Publication.objects.filter(
            quarter=publication.quarter, state=Publication.State.PUBLISHED
        ).first()
    audit_record(
        kind=AuditEvent.Kind.VIEWED,
        actor=request.user,
        target=publication,
        summary=f"Statistics for {publication.quarter} viewed",
    )
    return render(
        request,
        "statistics/publication_detail.html",
        {
            "publication": publication,
            "quarter": _quarter(publication.quarter),
            "tables": publication_tables(publication=publication, threshold_label=context["threshold_label"]),
            "replaces": replaces,
            "form_error": form_error,
            "error_field": error_field,
            **context,
        },
        status=400 if form_error else 200,
    )


@staff_required
@require_http_methods(["GET", "HEAD"])
def publication_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _publication(request, pk))


@staff_required
@require_POST
def publication_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    try:
        services.publication_publish(publication=publication, user=request.user)
    except ValidationError as error:
        return _detail(request, publication, form_error=error.messages[0])
    messages.success(request, f"{_quarter(publication.quarter).label} is published.")
    return redirect("statistics:publication_detail", pk=publication.pk)


@staff_required
@require_POST
def publication_discard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    quarter = publication.quarter
    try:
        services.publication_discard(publication=publication, user=request.user)
    except ValidationError as error:
        return _detail(request, publication, form_error=error.messages[0])
    messages.success(request, "The prepared figures were discarded.")
    return redirect("statistics:quarter_preview", quarter=quarter)


@staff_required
@require_POST
def publication_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        return _detail(
            request,
            publication,
            form_error="Enter why you are withdrawing these figures",
            error_field="reason",
        )
    if len(reason) > 500:
        return _detail(
            request, publication, form_error="Reason must be 500 characters or fewer", error_field="reason"
        )
    try:
        services.publication_withdraw(publication=publication, user=request.user, reason=reason)
    except ValidationError as error:
        return _detail(request, publication, form_error=error.messages[0])
    messages.success(request, f"{_quarter(publication.quarter).label} is withdrawn from the public pages.")
    return redirect("statistics:publication_detail", pk=publication.pk)
