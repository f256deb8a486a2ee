"""Routing rules: the list in the order they apply, add, change, move up or down, switch off or on."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from safeguarding.accounts.decorators import AuthenticatedHttpRequest
from safeguarding.concerns.models import RoutingRule

from .. import selectors, services
from ..forms import RoutingRuleForm
from ..permissions import administrator_required
from .common import form_page, posted, switch_page

SECTION = "routing"


@administrator_required
@require_http_methods(["GET", "HEAD"])
def routing_rule_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "administration/routing_rule_list.html",
        {"rules": selectors.routing_rules_described(), "section": SECTION},
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def routing_rule_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {"immediate_danger": "any", "has_exploitation_signs": "any", "mark_urgent": "no"}
    form = RoutingRuleForm(posted(request), initial=initial)
    return form_page(
        request,
        form=form,
        title="Add a routing rule",
        button="Add the rule",
        act=lambda f: services.routing_rule_create(by=request.user, **f.values()),
        done="Routing rule added. It applies to concerns received from now on.",
        back=reverse("administration:routing_rule_list"),
        section=SECTION,
        intro="A concern that matches every condition below is sent to the team, or marked urgent. "
        "Every rule that matches applies.",
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def routing_rule_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(RoutingRule, pk=pk)
    form = RoutingRuleForm(posted(request), initial=RoutingRuleForm.initial_for(rule))
    return form_page(
        request,
        form=form,
        title=f"Change the rule “{rule.name}”",
        button="Save the rule",
        act=lambda f: services.routing_rule_update(rule=rule, by=request.user, **f.values()),
        done="Routing rule saved. The change applies to concerns received from now on.",
        back=reverse("administration:routing_rule_list"),
        section=SECTION,
    )


@administrator_required
@require_POST
def routing_rule_move(request: AuthenticatedHttpRequest, pk: int, direction: str) -> HttpResponse:
    rule = get_object_or_404(RoutingRule, pk=pk)
    if direction not in ("up", "down"):
        raise Http404("No such move")
    services.routing_rule_move(rule=rule, direction=direction, by=request.user)
    return redirect(f"{reverse('administration:routing_rule_list')}#rule-{rule.pk}")


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def routing_rule_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(RoutingRule, pk=pk)
    return switch_page(
        request,
        record=rule,
        noun="Routing rule",
        when_on="It will route concerns received from now on.",
        when_off="It will route no concern received from now on. Concerns it routed before keep their "
        "routes. You can switch it on again.",
        act=lambda active: services.routing_rule_set_active(rule=rule, active=active, by=request.user),
        back=reverse("administration:routing_rule_list"),
        section=SECTION,
    )
