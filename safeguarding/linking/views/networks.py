"""The analyst's pages: networks of linked concerns, hotspots, one network, one link, and the
exploitation team's alert queue and alerts.

Every page needs a verified member of staff (`staff_required`) who may see networks (permissions.py:
the exploitation analyst role or the exploitation team; 404 for anyone else). Every showing of a
network, a link, an alert, a list of them or the hotspots writes exactly one audit event, before
anything is shown, naming ids and counts only. Every change is a POST through a service, which audits
it. Addresses carry ids and codes only.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safeguarding.accounts.decorators import AuthenticatedHttpRequest, staff_required
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

from .. import selectors, services
from ..forms import AlertAssignForm, AlertCloseForm, HotspotFilterForm, LinkDecisionForm
from ..models import Alert, Link, Network
from ..permissions import alert_for_user, link_for_user, network_for_user, networks_check


def _viewed(
    request: AuthenticatedHttpRequest, summary: str, target: Model | None = None, **data: Any
) -> None:
    """Record one showing, before it is shown: ids and counts only."""
    audit_record(
        kind=AuditEvent.Kind.VIEWED, actor=request.user, target=target, summary=summary, data=data or None
    )


@staff_required
@require_http_methods(["GET", "HEAD"])
def network_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    networks_check(request.user)
    rows = selectors.networks_active()
    _viewed(request, "Networks listed", networks=[row.network.pk for row in rows])
    return render(
        request,
        "linking/network_list.html",
        {"rows": rows, "alert_counts": selectors.alert_counts(), "section": "networks"},
    )


@staff_required
@require_http_methods(["GET", "HEAD"])
def hotspot_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    networks_check(request.user)
    form = HotspotFilterForm(request.GET or None)
    if request.GET:
        form.is_valid()
    months = form.period_months()
    kinds = form.chosen_kinds()
    since = selectors.today_minus(months=months) if months is not None else None
    spots = selectors.hotspots(since=since, kinds=kinds)
    _viewed(
        request,
        "Hotspots viewed",
        period_months=months,
        kinds=kinds,
        shown={kind: len(found) for kind, found in spots.items()},
    )
    groups = [(selectors.HOTSPOT_KINDS[kind][0], spots[kind]) for kind in kinds]
    return render(
        request,
        "linking/hotspot_list.html",
        {
            "form": form,
            "groups": groups,
            "kinds": kinds,
            "kind_choices": [(name, label) for name, (label, _) in selectors.HOTSPOT_KINDS.items()],
            "period": "all" if months is None else str(months),
            "section": "hotspots",
        },
    )


@staff_required
@require_http_methods(["GET", "HEAD"])
def network_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    network = network_for_user(user=request.user, pk=pk)
    if not network.active:
        current = selectors.network_current(network)
        if current is not None:
            messages.info(request, f"Network {network.pk} has joined network {current.pk}.")
            return redirect("linking:network_detail", pk=current.pk)
    view = selectors.network_view(network)
    _viewed(request, f"Network {network.pk} viewed", target=network, **view.counts)
    return render(request, "linking/network_detail.html", {"view": view, "section": "networks"})


def _after_decision(link: Link, network_id: int | None) -> str:
    """Where to go after a decision: the network the analyst came from if it is still there (or what
    it became), else the network either concern is now in, else the list."""
    if network_id is not None:
        network = Network.objects.filter(pk=network_id).first()
        current = selectors.network_current(network) if network is not None else None
        if current is not None:
            return reverse("linking:network_detail", kwargs={"pk": current.pk})
    networks = selectors.link_networks(link)
    if networks:
        return reverse("linking:network_detail", kwargs={"pk": networks[0].pk})
    return reverse("linking:network_list")


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def link_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    link = link_for_user(user=request.user, pk=pk)
    networks = selectors.link_networks(link)
    try:
        from_network: int | None = int(request.GET.get("network", ""))
    except ValueError:
        from_network = None
    form = LinkDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = services.link_confirm if form.cleaned_data["decision"] == "confirm" else services.link_reject
        try:
            link = decide(link=link, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            verb = "confirmed" if link.status == Link.Status.CONFIRMED else "rejected"
            low, high = link.concern_low.reference, link.concern_high.reference
            messages.success(request, f"Link between {low} and {high} {verb}")
            return redirect(_after_decision(link, from_network or (networks[0].pk if networks else None)))
    _viewed(request, f"Link {link.pk} viewed", target=link, networks=[n.pk for n in networks])
    return render(
        request,
        "linking/link_detail.html",
        {
            "link": link,
            "reasons": selectors.link_reasons(link),
            "networks": networks,
            "form": form,
            "section": "networks",
        },
    )


@staff_required
@require_http_methods(["GET", "HEAD"])
def alert_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    networks_check(request.user)
    show = request.GET.get("show", "open")
    if show not in selectors.ALERT_FILTERS:
        show = "open"
    alerts = list(selectors.alert_queue(show=show))
    _viewed(request, "Alert queue viewed", show=show, alerts=[alert.pk for alert in alerts])
    return render(
        request,
        "linking/alert_list.html",
        {
            "alerts": alerts,
            "show": show,
            "counts": selectors.alert_counts(),
            "filters": [("open", "New"), ("acknowledged", "Acknowledged"), ("closed", "Closed")],
            "section": "alerts",
        },
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def alert_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    alert = alert_for_user(user=request.user, pk=pk)
    people = alert.team.members.filter(is_active=True).order_by("first_name", "last_name", "username")
    action = request.POST.get("action") if request.method == "POST" else None
    assign_form = AlertAssignForm(request.POST if action == "assign" else None, people=people)
    close_form = AlertCloseForm(request.POST if action == "close" else None)
    error = ""
    if action in {"acknowledge", "assign", "close"}:
        try:
            if action == "acknowledge":
                services.alert_acknowledge(alert=alert, by=request.user)
                done = "Alert acknowledged"
            elif action == "assign" and assign_form.is_valid():
                to = assign_form.cleaned_data["to"]
                services.alert_assign(alert=alert, to=to, by=request.user)
                done = f"Alert assigned to {to.get_full_name() or to.get_username()}"
            elif action == "close" and close_form.is_valid():
                services.alert_close(alert=alert, outcome=close_form.cleaned_data["outcome"], by=request.user)
                done = "Alert closed"
            else:
                done = ""
        except ValidationError as failure:
            form = assign_form if action == "assign" else close_form if action == "close" else None
            if form is not None:
                form.add_service_error(failure)
            else:
                error = " ".join(failure.messages)
        else:
            if done:
                messages.success(request, done)
                return redirect("linking:alert_detail", pk=alert.pk)
        alert.refresh_from_db()
    current = selectors.network_current(alert.network)
    _viewed(request, f"Linking alert {alert.pk} viewed", target=alert, network=alert.network_id)
    return render(
        request,
        "linking/alert_detail.html",
        {
            "alert": alert,
            "network": current,
            "assign_form": assign_form,
            "close_form": close_form,
            "error": error,
            "section": "alerts",
            "is_open": alert.status != Alert.Status.CLOSED,
        },
    )
