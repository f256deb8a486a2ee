"""Staff dashboards (overall, and by review, board and agency), the board report PDF and action exports.

Views only gather what the selectors return and render it; every export is audited.
"""

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from safeguarding.accounts.decorators import AuthenticatedHttpRequest, staff_required
from safeguarding.tracker.decorators import tracker_required

from ..models import Action
from ..permissions import can_view_tracker
from . import charts, exports, report, report_data, report_sections, selectors


def _action_url(action_id: int) -> str:
    # The action page belongs to the tracker's work views; its path is fixed by the staff URL design.
    return f"/staff/actions/{action_id}/"


def _recommendation_url(recommendation_id: int) -> str:
    return f"/staff/recommendations/{recommendation_id}/"


@dataclass(frozen=True)
class ListedAction:
    """An action in a dashboard's list of overdue or due-soon actions, with the two links it shows."""

    action: Action
    staff_url: str
    recommendation_url: str


def _listed(action: Action) -> ListedAction:
    return ListedAction(action, _action_url(action.pk), _recommendation_url(action.recommendation_id))


def _dashboard(request: AuthenticatedHttpRequest, scope: selectors.Scope, *, kind: str) -> HttpResponse:
    today = timezone.localdate()
    counts = selectors.scope_action_counts(scope=scope, today=today)  # stored aggregates (0032)
    progress = selectors.scope_progress_over_time(scope=scope, today=today, total=counts.total)
    chart = None
    if progress.months:
        last = progress.months[-1]
        chart = charts.progress_chart_svg(
            months=progress.months,
            total=progress.total,
            title=f"Actions done over time: {scope.title}",
            description=(
                f"Bar chart of the running total of actions done at the end of each month, from "
                f"{progress.months[0].month:%B %Y} to {last.month:%B %Y}, against {progress.total:,} "
                f"actions in all. By the end of {last.month:%B %Y}, {last.done_by_end:,} were done "
                f"({last.percent}%). The table beside the chart gives the same numbers."
            ),
        )
    overdue = selectors.actions_overdue(actions=scope.actions, today=today)
    due_soon = selectors.actions_due_soon(actions=scope.actions, today=today)
    context: dict[str, Any] = {
        "scope": scope,
        "kind": kind,
        "today": today,
        "counts": counts,
        "recommendations": selectors.scope_recommendation_counts(scope=scope),
        "progress": progress,
        "chart": chart,
        "overdue": [_listed(action) for action in overdue],
        "due_soon": [_listed(action) for action in due_soon],
        "list_limit": selectors.LIST_LIMIT,
        "due_soon_days": selectors.DUE_SOON_DAYS,
        "export_query": "&".join(f"{k}={v}" for k, v in sorted(scope.filters.items())),
    }
    if kind == "board":
        # The 26-week line of the board report, from the stored weeks and the counts above (0032).
        recommendations: selectors.RecommendationCounts = context["recommendations"]
        weekly = report_data.scope_weekly_progress(
            scope=scope,
            today=today,
            done_now=counts.done,
            actions_total=counts.total,
            recommendations_total=recommendations.total,
        )
        weekly_chart = _weekly_chart(
            weekly,
            board_name=scope.title,
            table_note='"Progress week by week", below, gives every week.',
            described_by="weekly-summary",  # the page shows the description above the chart
        )
        context.update(
            weekly=weekly, weekly_chart=weekly_chart.svg, weekly_chart_description=weekly_chart.description
        )
    if kind == "all":
        links = selectors.scope_links(scope=scope)
        context["links"] = links
        context["review_summaries"] = selectors.review_summaries(
            scope=scope, reviews=links.reviews, today=today
        )
    return render(request, "tracker/dashboards/dashboard.html", context)


@require_safe
@staff_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_tracker(request.user):
        # /staff/ is where sign-in lands: someone with no part in the tracker goes to their queues.
        return redirect("concerns:team_list")
    return _dashboard(request, selectors.dashboard_scope(user=request.user), kind="all")


@require_safe
@tracker_required
def dashboard_review(request: AuthenticatedHttpRequest, review_id: int) -> HttpResponse:
    scope = selectors.dashboard_scope(user=request.user, review_id=review_id)
    if not scope.reach.everything and not scope.recommendations.exists():
        raise Http404("No such review")  # a review none of whose recommendations this user may see
    return _dashboard(request, scope, kind="review")


@require_safe
@tracker_required
def dashboard_board(request: AuthenticatedHttpRequest, board_id: int) -> HttpResponse:
    return _dashboard(request, selectors.dashboard_scope(user=request.user, board_id=board_id), kind="board")


@require_safe
@tracker_required
def dashboard_agency(request: AuthenticatedHttpRequest, agency_id: int) -> HttpResponse:
    scope = selectors.dashboard_scope(user=request.user, agency_id=agency_id)
    return _dashboard(request, scope, kind="agency")


SUMMARY_OVERDUE = 5


@dataclass(frozen=True)
class WeeklyChart:
    svg: SafeString
    title: str
    description: str


def _weekly_chart(
    progress: report_data.WeeklyProgress, *, board_name: str, table_note: str, described_by: str = ""
) -> WeeklyChart:
    """The weekly progress line as inline SVG, with its title and description (the page's and the
    PDF's alt text): one drawing for the board dashboard and the board report."""
    weeks = progress.weeks
    first, last = weeks[0], weeks[-1]
    title = f"Progress over the last {len(weeks)} weeks: {board_name}"
    description = (
        f"Line chart, week by week from {first.week:%-d %B %Y} to {last.week:%-d %B %Y}. "
        f"Recommendations this board has signed off as progressed in full: {first.signed_off_percent}% "
        f"({first.signed_off} of {last.recommendations_total}) at the start, {last.signed_off_percent}% "
        f"({last.signed_off}) now. Actions done: {first.actions_percent}% ({first.actions_done} of "
        f"{last.actions_total}) at the start, {last.actions_percent}% ({last.actions_done}) now. "
        f"{table_note}"
    )
    svg = charts.progress_line_svg(
        weeks=[week.week for week in weeks],
        series=[
            charts.LineSeries(
                "Recommendations signed off", [w.signed_off_percent for w in weeks], charts.BLUE
            ),
            charts.LineSeries("Actions done", [w.actions_percent for w in weeks], charts.GREEN, dashed=True),
        ],
        title=title,
        description=description,
        id_prefix="weekly-progress",
        described_by=described_by,
    )
    return WeeklyChart(svg, title, description)


@require_safe
@tracker_required
def board_report_pdf(request: AuthenticatedHttpRequest, board_id: int) -> HttpResponse:
    today = timezone.localdate()
    scope = selectors.dashboard_scope(user=request.user, board_id=board_id)
    counts = selectors.action_counts(actions=scope.actions, today=today)
    period = report_data.report_period(board=scope.board, today=today)
    recommendations = selectors.recommendation_counts(recommendations=scope.recommendations)
    # The same stored weeks as the board's dashboard, so the report and the page draw one line.
    weekly = report_data.scope_weekly_progress(
        scope=scope,
        today=today,
        done_now=counts.done,
        actions_total=counts.total,
        recommendations_total=recommendations.total,
    )
    chart = _weekly_chart(
        weekly,
        board_name=scope.title,
        table_note='The table "Progress week by week" in this report gives every week\'s figures.',
    )
    overdue = selectors.actions_overdue(actions=scope.actions, today=today, limit=500, report=True)
    context = {
        "scope": scope,
        "board": scope.board,
        "today": today,
        "now": timezone.localtime(),
        "counts": counts,
        "recommendations": recommendations,
        "rows": selectors.board_report(scope=scope, today=today),
        "overdue": overdue,
        "overdue_first": overdue[:SUMMARY_OVERDUE],
        "overdue_limit": 500,
        "period": period,
        "changes": report_data.changes_since(
            board=scope.board, recommendations=scope.recommendations, actions=scope.actions, period=period
        ),
        "weekly": weekly,
        "chart_src": charts.svg_data_uri(chart.svg),
        "chart_alt": f"{chart.title}. {chart.description}",
        "sections": report_sections.board_report_sections(board=scope.board, start=period.start, end=today),
    }
    html = render_to_string("tracker/dashboards/pdf/board_report.html", context, request=request)
    try:
        content = report.report_pdf(html=html)
    except report.PdfUnavailableError:
        return HttpResponse(
            "The board report cannot be made as a PDF on this server at the moment. "
            "The board's dashboard shows the same figures.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    exports.export_record(user=request.user, scope=scope, what="board report", file_format="pdf")
    response = HttpResponse(content, content_type="application/pdf")
    filename = exports.export_filename(scope=scope, extension="pdf", today=today, what="board-report")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filter_id(request: AuthenticatedHttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise Http404(f"No such {name}")
    return int(value)


def _export_scope(request: AuthenticatedHttpRequest) -> selectors.Scope:
    return selectors.dashboard_scope(
        user=request.user,
        review_id=_filter_id(request, "review"),
        board_id=_filter_id(request, "board"),
        agency_id=_filter_id(request, "agency"),
    )


@require_safe
@tracker_required
def export_actions_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    today = timezone.localdate()
    scope = _export_scope(request)
    actions = selectors.export_actions(scope=scope, today=today)
    exports.export_record(
        user=request.user, scope=scope, what="actions", file_format="csv", rows=scope.actions.count()
    )
    rows = (exports.action_row(action) for action in selectors.export_row_iter(actions=actions))
    response = StreamingHttpResponse(exports.csv_lines(rows), content_type="text/csv; charset=utf-8")
    filename = exports.export_filename(scope=scope, extension="csv", today=today)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@tracker_required
def export_actions_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    scope = _export_scope(request)
    actions = selectors.export_actions(scope=scope, today=today)
    exports.export_record(
        user=request.user, scope=scope, what="actions", file_format="xlsx", rows=scope.actions.count()
    )
    rows = (exports.action_row(action) for action in selectors.export_row_iter(actions=actions))
    content = exports.xlsx_bytes(rows)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = exports.export_filename(scope=scope, extension="xlsx", today=today)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
