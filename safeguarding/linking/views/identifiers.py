"""The identifiers of a concern, for the teams it was routed to, at /staff/concerns/<pk>/identifiers/:
the people, phones, vehicles, places and online accounts linking uses, the suggestions found in the
text, and the history of staff changes. Members of a receiving team add, correct and remove
identifiers and accept or dismiss suggestions; each change goes through linking.services (audited,
before and after kept encrypted, the concern linked again through the queue).

Who may see a concern is the concerns app's rule (a 404 for anyone else). Every page shown is
recorded in the audit trail before it is shown. URLs carry ids and the kind's name only.
"""

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safeguarding.accounts.decorators import AuthenticatedHttpRequest, staff_required
from safeguarding.concerns.models import Concern
from safeguarding.concerns.permissions import concern_for_user
from safeguarding.concerns.services import concern_viewed

from .. import extract, services
from ..identifier_forms import ADD_TITLES, FORMS, KIND_SLUGS, IdentifierForm
from ..models import ConcernLinking, Identifier, IdentifierChange

KIND_HEADINGS: dict[str, str] = {
    Identifier.Kind.PERSON: "People",
    Identifier.Kind.PHONE: "Phone numbers",
    Identifier.Kind.VEHICLE: "Vehicles",
    Identifier.Kind.PLACE: "Places",
    Identifier.Kind.ACCOUNT: "Online accounts",
}


def _identifier(concern: Concern, identifier_pk: int) -> Identifier:
    identifier = Identifier.objects.filter(concern=concern, pk=identifier_pk).first()
    if identifier is None:
        raise Http404("No identifier found")
    return identifier


def _to_page(concern: Concern) -> HttpResponse:
    return redirect("linking_identifiers:concern_identifiers", pk=concern.pk)


def _row(identifier: Identifier) -> dict[str, Any]:
    details = json.loads(identifier.details or "{}")
    parts = extract.parts_of(
        kind=identifier.kind, value=identifier.value, normalised=identifier.normalised, details=details
    )
    return {
        "identifier": identifier,
        "parts": [(name.replace("_", " ").capitalize(), value) for name, value in parts.items() if value],
        "age_range": (
            f"{details['age_low']} to {details['age_high']}"
            if details.get("age_low") is not None and details.get("age_low") != details.get("age_high")
            else details.get("age_low")
        ),
        "born": (
            f"{details['born_low']} to {details['born_high']}"
            if details.get("born_low") is not None and details.get("born_low") != details.get("born_high")
            else details.get("born_low")
        ),
    }


@staff_required
@require_http_methods(["GET", "HEAD"])
def concern_identifiers(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    concern_viewed(by=request.user, concern=concern, page="identifiers")
    if not ConcernLinking.objects.filter(concern=concern, identifiers_at__isnull=False).exists():
        # Not yet read by the worker (it may be down): read them now, so staff see what the answers give.
        services.concern_identifiers_refresh(concern=concern)
    identifiers = list(Identifier.objects.filter(concern=concern).order_by("kind", "id"))
    in_use = [i for i in identifiers if i.status == Identifier.Status.ACTIVE]
    groups = [
        (kind, heading, [_row(i) for i in in_use if i.kind == kind])
        for kind, heading in KIND_HEADINGS.items()
    ]
    changes = list(IdentifierChange.objects.filter(concern=concern).select_related("changed_by"))
    return render(
        request,
        "linking/identifiers/concern_identifiers.html",
        {
            "concern": concern,
            "groups": groups,
            "suggestions": [_row(i) for i in identifiers if i.status == Identifier.Status.SUGGESTED],
            "changes": changes,
            "add_links": [(slug, ADD_TITLES[kind]) for slug, kind in KIND_SLUGS.items()],
        },
    )


def _form_page(
    request: AuthenticatedHttpRequest,
    *,
    concern: Concern,
    form: IdentifierForm,
    title: str,
    button: str,
    act: Callable[[IdentifierForm], Any],
    done: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            act(form)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, done)
            return _to_page(concern)
    concern_viewed(by=request.user, concern=concern, page=title.lower())
    return render(
        request,
        "linking/identifiers/identifier_form.html",
        {"concern": concern, "form": form, "page_title": title, "button": button},
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def identifier_add(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    if kind not in KIND_SLUGS:
        raise Http404("No such kind of identifier")
    form_class = FORMS[KIND_SLUGS[kind]]
    form = form_class(request.POST or None)
    return _form_page(
        request,
        concern=concern,
        form=form,
        title=ADD_TITLES[form_class.kind],
        button="Add",
        act=lambda f: services.identifier_add(
            concern=concern, kind=f.kind, role=f.chosen_role(), parts=f.parts(), by=request.user
        ),
        done="Added. The concern will be linked again in a few seconds.",
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def identifier_correct(request: AuthenticatedHttpRequest, pk: int, identifier_pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    identifier = _identifier(concern, identifier_pk)
    if identifier.status != Identifier.Status.ACTIVE:
        raise Http404("Only an identifier in use can be corrected")
    form_class = FORMS[identifier.kind]
    parts = extract.parts_of(
        kind=identifier.kind,
        value=identifier.value,
        normalised=identifier.normalised,
        details=json.loads(identifier.details or "{}"),
    )
    form = form_class(request.POST or None, initial=form_class.initial_from(parts, identifier.role))
    return _form_page(
        request,
        concern=concern,
        form=form,
        title=f"Correct {identifier.get_kind_display().lower()}",
        button="Save the correction",
        act=lambda f: services.identifier_correct(
            identifier=identifier, role=f.chosen_role(), parts=f.parts(), by=request.user
        ),
        done="Corrected. The concern will be linked again in a few seconds.",
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def identifier_remove(request: AuthenticatedHttpRequest, pk: int, identifier_pk: int) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    identifier = _identifier(concern, identifier_pk)
    if identifier.status != Identifier.Status.ACTIVE:
        raise Http404("Only an identifier in use can be removed")
    error = ""
    if request.method == "POST":
        try:
            services.identifier_remove(identifier=identifier, by=request.user)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, "Removed. The concern will be linked again in a few seconds.")
            return _to_page(concern)
    concern_viewed(by=request.user, concern=concern, page="remove an identifier")
    return render(
        request,
        "linking/identifiers/identifier_remove.html",
        {"concern": concern, "row": _row(identifier), "error": error},
    )


def _suggestion_decide(
    request: AuthenticatedHttpRequest, pk: int, identifier_pk: int, decide: Callable[..., Any], done: str
) -> HttpResponse:
    concern = concern_for_user(user=request.user, pk=pk)
    identifier = _identifier(concern, identifier_pk)
    try:
        decide(identifier=identifier, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, done)
    return _to_page(concern)


@staff_required
@require_POST
def suggestion_accept(request: AuthenticatedHttpRequest, pk: int, identifier_pk: int) -> HttpResponse:
    return _suggestion_decide(
        request,
        pk,
        identifier_pk,
        services.suggestion_accept,
        "Suggestion accepted. The concern will be linked again in a few seconds.",
    )


@staff_required
@require_POST
def suggestion_dismiss(request: AuthenticatedHttpRequest, pk: int, identifier_pk: int) -> HttpResponse:
    return _suggestion_decide(
        request, pk, identifier_pk, services.suggestion_dismiss, "Suggestion dismissed."
    )
