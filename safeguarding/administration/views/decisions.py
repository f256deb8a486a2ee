"""Decision options: the list, add, change (with the retention period), switch off or on."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safeguarding.accounts.decorators import AuthenticatedHttpRequest
from safeguarding.concerns.models import DecisionOption

from .. import selectors, services
from ..forms import DecisionOptionForm
from ..permissions import administrator_required
from .common import form_page, posted, switch_page

SECTION = "decisions"


@administrator_required
@require_http_methods(["GET", "HEAD"])
def decision_option_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "administration/decision_option_list.html",
        {"options": selectors.decision_options_all(), "section": SECTION},
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision_option_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DecisionOptionForm(posted(request), initial={"applies_to": "any", "closes_concern": "no"})
    return form_page(
        request,
        form=form,
        title="Add a decision option",
        button="Add the decision",
        act=lambda f: services.decision_option_create(by=request.user, **f.values()),
        done="Decision option added. Triage workers can choose it now.",
        back=reverse("administration:decision_option_list"),
        section=SECTION,
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision_option_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    option = get_object_or_404(DecisionOption, pk=pk)
    form = DecisionOptionForm(posted(request), initial=DecisionOptionForm.initial_for(option))
    return form_page(
        request,
        form=form,
        title=f"Change the decision “{option.name}”",
        button="Save the decision",
        act=lambda f: services.decision_option_update(option=option, by=request.user, **f.values()),
        done="Decision option saved. A new retention period applies to decisions made from now on.",
        back=reverse("administration:decision_option_list"),
        section=SECTION,
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision_option_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    option = get_object_or_404(DecisionOption, pk=pk)
    return switch_page(
        request,
        record=option,
        noun="Decision option",
        when_on="Triage workers will be able to choose it again.",
        when_off="Triage workers will no longer be able to choose it. Past decisions keep it, and concerns "
        "decided this way are still kept for its retention period.",
        act=lambda active: services.decision_option_set_active(option=option, active=active, by=request.user),
        back=reverse("administration:decision_option_list"),
        section=SECTION,
    )
