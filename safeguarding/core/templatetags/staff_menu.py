"""`{% load staff_menu %}`: the staff layout's navigation, identity bar and emergency message.

The sections come from `core.staff_menu`, where each app registers its own: this tag knows nothing of
any app's permissions (docs/decisions/0019, 0029). The navigation is only for a signed-in member of
staff who has passed two-step verification: before that, a page shows no sections and no counts.
"""

from typing import Any

from django import template

from ..staff_menu import StaffMenuEntry, staff_menu_for

register = template.Library()

# Pages where a worker may be reading about someone in danger keep the (compact) 999 message.
EMERGENCY_NAMESPACES = frozenset({"concerns", "linking", "linking_identifiers"})


def _verified(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_verified", lambda: False)()
    )


def _current(entries: list[StaffMenuEntry], path: str) -> dict[str, str]:
    """aria-current for each entry's URL: "page" on the section's own page, "true" inside it.

    The home (the shortest URL, /staff/) is current only on itself: every staff page is under it.
    """
    current: dict[str, str] = {}
    exact = [entry.url for entry in entries if entry.url == path]
    if exact:
        current[exact[0]] = "page"
        return current
    home = min((entry.url for entry in entries), key=len, default="")
    inside = [entry.url for entry in entries if entry.url != home and path.startswith(entry.url)]
    if inside:
        current[max(inside, key=len)] = "true"
    return current


@register.inclusion_tag("staff/includes/navigation.html", takes_context=True)
def staff_navigation(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not _verified(user):
        return {"items": [], "home_url": ""}
    entries = staff_menu_for(user)
    current = _current(entries, request.path)
    items = [{"entry": entry, "current": current.get(entry.url, "")} for entry in entries]
    return {"items": items, "home_url": entries[0].url if entries else ""}


@register.simple_tag
def staff_role_names(user: Any) -> str:
    """The roles `user` holds, in words, for the identity bar: "Board member (TSCP), Viewer"."""
    held_roles = getattr(user, "held_roles", None)  # accounts.User's, kept for the request
    if held_roles is None or not getattr(user, "is_authenticated", False):
        return ""
    return ", ".join(str(role) for role in held_roles())


@register.simple_tag(takes_context=True)
def staff_emergency_wanted(context: template.Context) -> bool:
    """Whether this page keeps the 999 message: pages about concerns and the pattern between them."""
    match = getattr(context.get("request"), "resolver_match", None)
    return bool(match is not None and EMERGENCY_NAMESPACES.intersection(match.namespaces))
