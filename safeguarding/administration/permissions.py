"""`administrator_required`: the gate on every settings page.

A settings page needs a signed-in, active user who has passed two-step verification in this session
and is an administrator (the administrator role, or a superuser: `User.can_administer`). Anyone not
signed in or not verified is sent to do so; a verified user who is not an administrator gets 403.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url

from safeguarding.accounts.decorators import AuthenticatedHttpRequest

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


def user_is_administrator(user: Any) -> bool:
    """Whether `user` may use the settings pages (before the two-step check the gate adds)."""
    return bool(getattr(user, "is_authenticated", False) and user.can_administer)


def administrator_required(
    view: Callable[Concatenate[AuthenticatedHttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R | HttpResponseRedirect]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R | HttpResponseRedirect:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_verified():
            return redirect_to_login(request.get_full_path(), resolve_url("accounts:verify"))
        if not user_is_administrator(user):
            raise PermissionDenied
        return view(cast(AuthenticatedHttpRequest, request), *args, **kwargs)

    return wrapped
