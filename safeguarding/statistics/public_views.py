"""The public statistics pages: the published quarters, one quarter's tables, its open-data CSV, and
the method note. Served from memory until a publication changes (core.page_cache, docs/decisions/0021)."""

import csv
import datetime
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safeguarding.core.page_cache import public_page

from .models import Publication
from .quarters import Quarter
from .selectors import publication_published, publication_tables, publications_published
from .views import key_context

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _published(quarter: str) -> tuple[Quarter, Publication]:
    chosen = Quarter.parse(quarter)
    publication = publication_published(quarter=chosen) if chosen else None
    if chosen is None or publication is None:
        raise Http404("No statistics are published for this quarter")
    return chosen, publication


def _publication_context(publication: Publication) -> dict[str, object]:
    return {
        **key_context(),
        "threshold": publication.threshold,
        "threshold_minus_one": publication.threshold - 1,
        "threshold_label": f"fewer than {publication.threshold}",
        "rounding": publication.rounding,
    }


@public_page()
@require_safe
def statistics_list(request: HttpRequest) -> HttpResponse:
    publications = [(p, Quarter.parse(p.quarter)) for p in publications_published()]
    return render(request, "statistics/public_list.html", {"publications": publications})


@public_page()
@require_safe
def statistics_detail(request: HttpRequest, quarter: str) -> HttpResponse:
    chosen, publication = _published(quarter)
    context = _publication_context(publication)
    tables = publication_tables(publication=publication, threshold_label=str(context["threshold_label"]))
    return render(
        request,
        "statistics/public_detail.html",
        {
            "quarter": chosen,
            "publication": publication,
            "tables": tables,
            "start": chosen.start,
            "last_day": chosen.end.date() - datetime.timedelta(days=1),
            "licence_url": LICENCE_URL,
            **context,
        },
    )


def _safe(text: str) -> str:
    """A spreadsheet never runs a cell as a formula (decision names are typed by administrators)."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


@public_page()
@require_safe
def statistics_csv(request: HttpRequest, quarter: str) -> HttpResponse:
    chosen, publication = _published(quarter)
    label = f"fewer than {publication.threshold}"
    tables = publication_tables(publication=publication, threshold_label=label)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f"Licence: {LICENCE}, {LICENCE_URL}"])
    writer.writerow(["quarter", "table", "row", "column", "count", "note"])
    for table in tables:
        for row_label, line in table.rows:
            for column_label, (text, status, _value) in zip(table.columns, line, strict=True):
                count = "" if status != "shown" else text.replace(",", "")
                note = "" if status == "shown" else text
                writer.writerow(
                    [str(chosen), _safe(table.caption), _safe(row_label), _safe(column_label), count, note]
                )
    if publication.is_demo:
        writer.writerow(["Training material: counted from fictional demo concerns."])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistics-{chosen}.csv"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


@public_page()
@require_safe
def statistics_method(request: HttpRequest) -> HttpResponse:
    return render(request, "statistics/public_method.html", {**key_context(), "licence_url": LICENCE_URL})
