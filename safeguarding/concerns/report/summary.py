"""The rows of the "Check your answers" page: each answer as a person would read it, with a change link."""

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from ..models import About, Concern, Sign
from . import journey
from .lists import ITEM_LISTS, item_lines, item_title

NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class Row:
    key: str
    lines: list[str]
    change_url: str
    change_label: str  # visually hidden words after "Change"
    anchor: str = ""


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)


def _step_url(step: str) -> str:
    return reverse("report:question", kwargs={"step": step}) + "?return=check"


def _row(key: str, value: str | list[str], step: str) -> Row:
    lines = value if isinstance(value, list) else [value]
    return Row(key, [line for line in lines if line] or [NOT_GIVEN], _step_url(step), key.lower(), step)


def check_sections(answers: dict[str, Any]) -> list[Section]:
    """The answers in the order they were asked, grouped as the check page shows them."""
    about_labels = dict(About.choices)
    sign_labels = dict(Sign.choices)
    danger = answers.get("immediate_danger")
    concern = Section(
        "Your concern",
        [
            _row("Someone in immediate danger", "Yes" if danger else "No", journey.DANGER),
            _row("Who it is about", about_labels.get(answers.get("about", ""), ""), journey.ABOUT),
            _row("What is happening", answers.get("narrative", ""), journey.NARRATIVE),
            _row(
                "Signs of exploitation",
                [sign_labels.get(code, code) for code in answers.get("signs", [])] or ["None ticked"],
                journey.SIGNS,
            ),
            _row("Where and when", answers.get("where_and_when", ""), journey.WHERE_AND_WHEN),
        ],
    )
    sections = [concern]
    for item_list in ITEM_LISTS.values():
        items = item_list.items(answers)
        section = Section(item_list.many.capitalize())
        for position, item in enumerate(items, start=1):
            url = reverse("report:item_change", kwargs={"step": item_list.step, "position": position})
            section.rows.append(
                Row(
                    item_title(item_list, item),
                    item_lines(item_list, item),
                    f"{url}?return=check",
                    f"{item_list.one} {position}",
                )
            )
        if not items:
            section.rows.append(
                Row(
                    item_list.many.capitalize(),
                    ["None added"],
                    reverse("report:item_list", kwargs={"step": item_list.step}) + "?return=check",
                    item_list.many,
                )
            )
        sections.append(section)
    reporter = answers.get("reporter") or {}
    about_you = Section("About you")
    if reporter.get("anonymous", True):
        about_you.rows.append(_row("Your name", "You want to stay anonymous", journey.ABOUT_YOU))
    else:
        about_you.rows.append(_row("Your name", reporter.get("name", ""), journey.ABOUT_YOU))
        about_you.rows.append(_row("How we can contact you", reporter.get("contact", ""), journey.ABOUT_YOU))
    about_you.rows.append(
        _row("Your relationship to them", reporter.get("relationship", ""), journey.RELATIONSHIP)
    )
    sections.append(about_you)
    if answers.get("about") != "child":
        knows = dict(Concern.Knows.choices)
        sections.append(
            Section(
                "What the person knows and wants",
                [
                    _row(
                        "Do they know about this report",
                        knows.get(answers.get("adult_knows", ""), ""),
                        journey.ADULT_KNOWS,
                    ),
                    _row("What they want to happen", answers.get("adult_wants", ""), journey.ADULT_WANTS),
                ],
            )
        )
    return sections
