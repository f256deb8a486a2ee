"""The repeatable answers of the journey (people, vehicles, phones, places, online accounts).

Each is a list in the answers, added to one at a time with the GOV.UK "add another" pattern. Entries
are named in URLs only by their position in the list (1, 2, 3...), never by anything they contain.
"""

from dataclasses import dataclass
from typing import Any

from . import journey
from .forms import ItemForm, OnlineAccountForm, PersonForm, PhoneForm, PlaceForm, VehicleForm

MAX_ITEMS = 20  # as ConcernAnswers allows
ROLE_LABELS = {
    "at_risk": "The person at risk",
    "harming": "May be harming them",
    "other": "Someone else",
}


@dataclass(frozen=True)
class ItemList:
    step: str  # the URL slug, which is also the journey step
    field: str  # the key in the answers
    form: type[ItemForm]
    one: str  # "person"
    many: str  # "people"
    first_question: str  # asked while the list is empty
    hint: str

    def items(self, answers: dict[str, Any]) -> list[dict[str, Any]]:
        value = answers.get(self.field)
        return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _person_lines(item: dict[str, Any]) -> list[str]:
    lines = [item.get("name") or "Name not known"]
    if item.get("nicknames"):
        lines.append(f"Also known as {item['nicknames']}")
    if item.get("age") is not None:
        lines.append(f"Age {item['age']}")
    if item.get("date_of_birth"):
        lines.append(f"Born {item['date_of_birth']}")
    if item.get("description"):
        lines.append(item["description"])
    return lines


def item_title(item_list: ItemList, item: dict[str, Any]) -> str:
    """What the summary list calls an entry (the key column)."""
    if item_list.field == "people":
        return ROLE_LABELS.get(item.get("role", ""), "Someone else")
    if item_list.field == "vehicles":
        return item.get("registration") or "Registration not known"
    if item_list.field == "phones":
        return "Phone number"
    if item_list.field == "places":
        return item.get("venue") or item.get("postcode") or "Place"
    return item.get("platform") or "Online account"


def item_lines(item_list: ItemList, item: dict[str, Any]) -> list[str]:
    """What the summary list shows of an entry (the value column), one line each."""
    if item_list.field == "people":
        return _person_lines(item)
    if item_list.field == "vehicles":
        return [item.get("description") or "No description"]
    if item_list.field == "phones":
        return [item.get("number", "")]
    if item_list.field == "places":
        return [line for line in (item.get("venue"), item.get("address"), item.get("postcode")) if line]
    return [item.get("handle", "")]


ITEM_LISTS: dict[str, ItemList] = {
    item_list.step: item_list
    for item_list in (
        ItemList(
            journey.PEOPLE,
            "people",
            PersonForm,
            "person",
            "people",
            "Do you want to tell us about any of the people involved?",
            "The person at risk, anyone who may be harming them, and anyone else involved.",
        ),
        ItemList(
            journey.VEHICLES,
            "vehicles",
            VehicleForm,
            "vehicle",
            "vehicles",
            "Do you want to tell us about any vehicles involved?",
            "For example, a car that picks someone up or drops them off.",
        ),
        ItemList(
            journey.PHONES,
            "phones",
            PhoneForm,
            "phone number",
            "phone numbers",
            "Do you want to tell us about any phone numbers involved?",
            "Numbers used to contact the person at risk, or by people who may be harming them.",
        ),
        ItemList(
            journey.PLACES,
            "places",
            PlaceForm,
            "place",
            "places",
            "Do you want to tell us about any places involved?",
            "For example, a house, a flat, a hotel, a shop or a park.",
        ),
        ItemList(
            journey.ONLINE_ACCOUNTS,
            "online_accounts",
            OnlineAccountForm,
            "online account",
            "online accounts",
            "Do you want to tell us about any online accounts involved?",
            "For example, a username on a social media app, a game or a messaging service.",
        ),
    )
}
