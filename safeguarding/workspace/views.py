"""The staff home: where sign-in lands, showing each of the person's roles' work (selectors.home_for)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from safeguarding.accounts.decorators import AuthenticatedHttpRequest, staff_required

from .selectors import home_for


@require_safe
@staff_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = timezone.now()
    home = home_for(user=request.user, now=now, today=timezone.localdate(now))
    # The training banner, when the home lists anything from the demo review.
    return render(request, "workspace/home.html", {"home": home, "demo": home.shows_demo})
