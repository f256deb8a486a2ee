"""The settings home: what an administrator can set, one link a section."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from safeguarding.accounts.decorators import AuthenticatedHttpRequest

from ..permissions import administrator_required
from ..selectors import settings_sections


@administrator_required
@require_http_methods(["GET", "HEAD"])
def settings_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "administration/index.html",
        {"sections": settings_sections(), "section": "index"},
    )
