"""The public "Get help now" page: 999, the front doors, out-of-hours and helplines the partnership lists."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safeguarding.core.page_cache import public_page

from .selectors import help_contacts


@public_page()
@require_safe
def get_help(request: HttpRequest) -> HttpResponse:
    contacts = help_contacts()
    return render(
        request, "partnership/get_help.html", {"has_contact_points": bool(contacts), **vars(contacts)}
    )
