"""What every settings page shares: the form page and the confirmation page."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safeguarding.core.forms import GovukForm

# Each section's list page, for the breadcrumbs above its forms and confirmations.
SECTION_LISTS: dict[str, tuple[str, str]] = {
    "routing": ("Routing rules", "administration:routing_rule_list"),
    "decisions": ("Decision options", "administration:decision_option_list"),
    "teams": ("Teams", "administration:team_list"),
    "contacts": ("Contact points", "administration:contact_point_list"),
    "partnership": ("Partnership", "administration:partnership_edit"),
    "boards": ("Boards", "administration:board_list"),
    "agencies": ("Agencies", "administration:agency_list"),
    "users": ("Users", "administration:user_list"),
    "tokens": ("API tokens", "administration:api_token_list"),
}


def section_crumb(section: str) -> dict[str, str]:
    label, url_name = SECTION_LISTS[section]
    return {"crumb_label": label, "crumb_url": reverse(url_name)}


def posted(request: HttpRequest) -> Any:
    """The posted data for a form, or None on GET: an empty POST is still a POST, and gets errors."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    *,
    form: GovukForm,
    title: str,
    button: str,
    act: Callable[[Any], Any],
    done: str,
    back: str,
    section: str,
    caption: str = "Settings",
    then: Callable[[Any], str] | None = None,
    intro: str = "",
) -> HttpResponse:
    """Show `form`; on a valid POST, `act(form)` (a service call): its ValidationErrors go back on the
    form beside their fields. Afterwards, to `then(result)` or `back`, with `done` as a message."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = act(form)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, done)
                return redirect(then(result) if then else back)
        status = 400
    return render(
        request,
        "administration/form.html",
        {
            "form": form,
            "page_title": title,
            "button": button,
            "back": back,
            "section": section,
            "caption": caption,
            "intro": intro,
            **section_crumb(section),
        },
        status=status,
    )


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    body: str,
    button: str,
    act: Callable[[], Any],
    done: str,
    back: str,
    section: str,
    warning: bool = False,
    rows: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """Ask "are you sure?"; on POST, `act()`. A service's ValidationError is shown on the page."""
    error = ""
    if request.method == "POST":
        try:
            act()
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, done)
            return redirect(back)
    return render(
        request,
        "administration/confirm.html",
        {
            "page_title": title,
            "body": body,
            "button": button,
            "back": back,
            "section": section,
            "warning": warning,
            "rows": rows or [],
            "error": error,
            **section_crumb(section),
        },
        status=400 if error else 200,
    )


def switch_page(
    request: HttpRequest,
    *,
    record: Any,
    noun: str,
    when_on: str,
    when_off: str,
    act: Callable[[bool], Any],
    back: str,
    section: str,
) -> HttpResponse:
    """Switch a record that has an `active` flag (a routing rule, a decision option) on if it is off,
    or off if it is on: the question, the button and the message all say which. `when_on` and
    `when_off` say what switching it on or off will do; `act(active)` does it."""
    switch_on = not record.active
    verb = "on" if switch_on else "off"
    return confirm_page(
        request,
        title=f"Switch {verb} the {noun.lower()} “{record.name}”?",
        body=when_on if switch_on else when_off,
        button=f"Switch {verb}",
        act=lambda: act(switch_on),
        done=f"{noun} switched {verb}.",
        back=back,
        section=section,
        warning=not switch_on,
    )
