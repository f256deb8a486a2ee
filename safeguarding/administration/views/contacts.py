"""Contact points shown on /get-help/: the list, add, change, remove."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safeguarding.accounts.decorators import AuthenticatedHttpRequest
from safeguarding.partnership.models import ContactPoint

from .. import selectors, services
from ..forms import ContactPointForm
from ..permissions import administrator_required
from .common import confirm_page, form_page, posted

SECTION = "contacts"


@administrator_required
@require_http_methods(["GET", "HEAD"])
def contact_point_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "administration/contact_point_list.html",
        {"points": selectors.contact_points_all(), "section": SECTION},
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def contact_point_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {"kind": ContactPoint.Kind.FRONT_DOOR, "audience": ContactPoint.Audience.ANYONE, "order": 50}
    return form_page(
        request,
        form=ContactPointForm(posted(request), initial=initial),
        title="Add a contact point",
        button="Add the contact point",
        act=lambda f: services.contact_point_create(by=request.user, **f.cleaned_data),
        done="Contact point added. It is on the Get help page now.",
        back=reverse("administration:contact_point_list"),
        section=SECTION,
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def contact_point_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    point = get_object_or_404(ContactPoint, pk=pk)
    return form_page(
        request,
        form=ContactPointForm(posted(request), initial=ContactPointForm.initial_for(point)),
        title=f"Change “{point.name}”",
        button="Save the contact point",
        act=lambda f: services.contact_point_update(point=point, by=request.user, **f.cleaned_data),
        done="Contact point saved. The Get help page shows the change now.",
        back=reverse("administration:contact_point_list"),
        section=SECTION,
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def contact_point_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    point = get_object_or_404(ContactPoint, pk=pk)
    return confirm_page(
        request,
        title=f"Remove “{point.name}” from the Get help page?",
        rows=[("Phone", point.phone), ("Open", point.hours), ("For", point.get_audience_display())],
        body="The public will no longer be given this number. The audit trail keeps what it said.",
        button="Remove",
        act=lambda: services.contact_point_delete(point=point, by=request.user),
        done="Contact point removed.",
        back=reverse("administration:contact_point_list"),
        section=SECTION,
        warning=True,
    )
