"""`tracker_required`: the gate on every tracker page, inside the staff area's own gate.

A member of staff whose roles have no part in the tracker (a triage worker) gets 404 on every
tracker page, report and export, as if it were not there (issue 10, finding 9).
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect

from safeguarding.accounts.decorators import AuthenticatedHttpRequest, staff_required

from .permissions import can_view_tracker

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


def tracker_required(
    view: Callable[Concatenate[AuthenticatedHttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R | HttpResponseRedirect]:
    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
        if not can_view_tracker(request.user):
            raise Http404("This page is part of the implementation tracker.")
        return view(request, *args, **kwargs)

    return staff_required(wrapped)
