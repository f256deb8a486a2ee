"""What a page works out about the signed-in user once, kept on the user object for the rest of it.

A staff page asks the same questions about its user many times: the menu asks each app whether the
user may open its section, the identity bar names their roles, the view checks its permission, a
list checks each row. `request.user` is made afresh for every request, so keeping the answers on
that object keeps them for exactly one request, in one process, and shares nothing between users.

    teams = user_memo(user, "concerns.teams", lambda: list(teams_of(user)))

Anything that changes what an answer depends on (a role given or taken away) calls
`user_memo_forget(user)` on the object it holds, so a later question in the same request is asked again.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.utils.functional import LazyObject

T = TypeVar("T")

_ATTRIBUTE = "_user_memo"


def _user_object(user: Any) -> Any:
    """The user itself, not the lazy wrapper `request.user` is, so that both keep to one memo."""
    if isinstance(user, LazyObject):
        _ = user.pk  # makes the wrapper load the user it stands for
        return user._wrapped
    return user


def user_memo(user: Any, key: str, compute: Callable[[], T]) -> T:
    """`compute()` the first time `key` is asked of this user object; the kept answer afterwards."""
    memo: dict[str, Any] = _user_object(user).__dict__.setdefault(_ATTRIBUTE, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def user_memo_forget(user: Any) -> None:
    """Forgets every answer kept on this user object."""
    _user_object(user).__dict__.pop(_ATTRIBUTE, None)
