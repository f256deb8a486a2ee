"""`staff_required`: the gate on every staff page.

A staff page needs a signed-in, active user who has passed two-step verification in this session
and holds at least one role. Anyone else is sent to sign in or to verify; a verified user with no
role gets 403. What each role may do is checked in services, per object.

A view behind the gate takes an `AuthenticatedHttpRequest`, whose `user` is a `User`, never an
`AnonymousUser`, so the view hands `request.user` to services without checking again.
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url

from .models import User

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind `staff_required` receives: only for annotations, never made."""

    user: User


def staff_required(
    view: Callable[Concatenate[AuthenticatedHttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R | HttpResponseRedirect]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R | HttpResponseRedirect:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_verified():
            return redirect_to_login(request.get_full_path(), resolve_url("accounts:verify"))
        if not user.held_roles():
            raise PermissionDenied
        # The checks above are what make the request an AuthenticatedHttpRequest.
        return view(cast(AuthenticatedHttpRequest, request), *args, **kwargs)

    return wrapped
