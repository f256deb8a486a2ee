"""The insight pages: one per section, with the same filters, and a CSV or XLSX file of each table.

Views gather the filters, ask sections.py for the figures and render them; every export is audited.
Nothing here reads a concern: only the rollups.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from safeguarding.accounts.decorators import AuthenticatedHttpRequest, staff_required
from safeguarding.concerns.models import Team

from . import exports
from .forms import InsightFilterForm
from .permissions import insight_teams_for
from .sections import HEADINGS, SECTIONS, Section
from .selectors import Filters


def _form(request: AuthenticatedHttpRequest) -> InsightFilterForm:
    """The filter form, bound to the query string; 403 for anyone who may see no team's statistics."""
    teams = insight_teams_for(request.user)
    if teams is not None:
        teams = teams.all()
        if not teams:  # evaluates the queryset once: the form reuses it
            raise PermissionDenied
    return InsightFilterForm(
        request.GET,
        teams=Team.objects.order_by("name") if teams is None else teams,
        all_teams=teams is None,
        today=timezone.localdate(),
    )


def _section(slug: str, filters: Filters) -> Section:
    if slug not in SECTIONS:
        raise Http404("No such section")
    return SECTIONS[slug][1](filters, today=timezone.localdate())


@require_safe
@staff_required
def section_page(request: AuthenticatedHttpRequest, section: str = "volumes") -> HttpResponse:
    if section not in SECTIONS:
        raise Http404("No such section")
    form = _form(request)
    context: dict = {"sections": [(slug, label) for slug, (label, _) in SECTIONS.items()], "slug": section}
    if not form.is_valid():
        context.update(form=form, title=HEADINGS[section])
        return render(request, "insight/section.html", context, status=400)
    filters = form.filters()
    query = QueryDict(mutable=True)
    query.update(filters.as_query())
    page = _section(section, filters)
    form.data = query  # shown as applied, defaults filled in (the form is valid: no errors to keep)
    context.update(
        form=form,
        filters=filters,
        page=page,
        title=page.title,
        query=query.urlencode(),
    )
    return render(request, "insight/section.html", context)


@require_safe
@staff_required
def table_export(
    request: AuthenticatedHttpRequest, section: str, table: str, file_format: str
) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return HttpResponse(
            "The filters of this download are not valid. "
            "Go back to the statistics page and choose them again.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    filters = form.filters()
    found = _section(section, filters).table(table)
    if found is None:
        raise Http404("No such table")
    exports.export_record(
        user=request.user, section=section, table=found, filters=filters, file_format=file_format
    )
    if file_format == "csv":
        response = HttpResponse(exports.csv_text(found), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.xlsx_bytes(found),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    filename = exports.export_filename(table=found, filters=filters, extension=file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
