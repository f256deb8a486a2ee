"""`staff_required`: the gate on every staff page.

A staff page needs a signed-in, active user who has passed two-step verification in this session
and holds at least one role. Anyone else is sent to sign in or to verify; a verified user with no
role gets 403. What each role may do is checked in services, per object.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_verified():  # type: ignore[union-attr]  (django-otp adds it)
            return redirect_to_login(request.get_full_path(), resolve_url("accounts:verify"))
        if not user.roles.exists():  # type: ignore[union-attr]
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
