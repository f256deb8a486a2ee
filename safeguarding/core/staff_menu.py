"""The staff menu: each app adds its own sections, shown only to those who can use them.

The menu sits in the staff layout, above every app, but which sections a person may open, and how
many things wait in each, is each app's business. So an app registers its sections here, from its
AppConfig.ready(), and the staff layout asks `staff_menu_for(user)`: the apps below stay unaware of
the layout, and the layout of the apps (docs/decisions/0019).

    staff_menu_register(
        StaffMenuItem(
            label="Concerns",
            url_name="concerns:team_list",
            order=20,
            visible=lambda user: user_is_team_member(user),
            count=lambda user: waiting_count(user),
            count_label="waiting for a decision",
        )
    )

A count is for the person, not for the world: it must be cheap (one indexed query) and must never
read anything personal.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class StaffMenuItem:
    """One section of the staff menu."""

    label: str
    url_name: str
    order: int
    # Whether this user may open the section. Called for every staff page: keep it cheap.
    visible: Callable[[Any], bool]
    # How many things wait there for this user (None: no count shown).
    count: Callable[[Any], int | None] | None = None
    # What the count counts, read after the number by screen readers: "3 waiting for a decision".
    count_label: str = ""


@dataclass(frozen=True)
class StaffMenuEntry:
    """A section as one user sees it."""

    label: str
    url: str
    count: int | None
    count_label: str


_items: dict[str, StaffMenuItem] = {}


def staff_menu_register(item: StaffMenuItem) -> None:
    """Adds a section (or replaces the one with the same URL name: ready() may run more than once)."""
    _items[item.url_name] = item


def staff_menu_for(user: Any) -> list[StaffMenuEntry]:
    """The sections this user may open, in order, with their counts."""
    if not getattr(user, "is_authenticated", False):
        return []
    entries = []
    for item in sorted(_items.values(), key=lambda item: (item.order, item.label)):
        if not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        count = item.count(user) if item.count is not None else None
        entries.append(StaffMenuEntry(item.label, url, count, item.count_label))
    return entries
