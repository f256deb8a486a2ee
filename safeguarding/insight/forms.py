"""The filters of the insight pages: a GET form of dates, codes and slugs, never anything personal.

Anything typed into the address gives a GOV.UK error message and a 400, never a 500.
"""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from safeguarding.concerns.models import About, Concern, DecisionOption, Team
from safeguarding.core.forms import GovukDateField, GovukForm, form_field
from safeguarding.partnership.models import Board

from .models import Route
from .selectors import MONTH, PERIODS, WEEK, Filters

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
MAX_YEARS, MAX_WEEKLY_YEARS = 10, 2


class InsightDateField(GovukDateField):
    """A GOV.UK date whose year must be a plausible one: no overflow from a very long number."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for part in self.fields:
            part.required = False  # a missing day, month or year is named by compress(), in words

    def compress(self, data_list: list[str]) -> datetime.date | None:
        if data_list and any(len((part or "").strip()) > 4 for part in data_list):
            raise forms.ValidationError(f"The {str(self.label).lower()} must be a real date.")
        value = super().compress(data_list)
        if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise forms.ValidationError(
                f"The {str(self.label).lower()} must be between {EARLIEST_YEAR} and {LATEST_YEAR}."
            )
        return value


def _any(label: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", label), *choices]


class InsightFilterForm(GovukForm):
    id_prefix = "filter"

    start = InsightDateField(label="Start date", required=False, help_text="For example, 1 1 2026")
    end = InsightDateField(label="End date", required=False, help_text="For example, 31 3 2026")
    period = forms.ChoiceField(label="Show by", choices=PERIODS, required=False)
    board = forms.ChoiceField(label="Board", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    source = forms.ChoiceField(
        label="Source", required=False, choices=_any("Any source", Concern.Source.choices)
    )
    about = forms.ChoiceField(label="About", required=False, choices=_any("Anyone", About.choices))
    signs = forms.ChoiceField(
        label="Signs of exploitation",
        required=False,
        choices=[("", "With or without"), ("yes", "With signs"), ("no", "Without signs")],
    )
    decision = forms.ChoiceField(label="Decision", required=False)
    route = forms.ChoiceField(label="Route", required=False, choices=_any("Any route", Route.choices))

    def __init__(
        self, *args: Any, teams: QuerySet[Team], all_teams: bool, today: datetime.date, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.today = today
        self.all_teams = all_teams
        self.boards = {board.slug: board for board in Board.objects.order_by("kind", "name")}
        self.teams = {team.slug: team for team in teams}
        form_field(self, "board", forms.ChoiceField).choices = _any(
            "Both boards", [(b.slug, b.name) for b in self.boards.values()]
        )
        team_choices = [(t.slug, t.name) for t in self.teams.values()]
        form_field(self, "team", forms.ChoiceField).choices = (
            _any("All teams", team_choices) if all_teams else team_choices
        )
        options = DecisionOption.objects.order_by("order", "name").values_list("code", "name")
        form_field(self, "decision", forms.ChoiceField).choices = _any(
            "Any decision", [("none", "Not yet decided"), *options]
        )
        for name in ("period", "board", "team", "source", "about", "signs", "decision", "route"):
            field = self.fields[name]
            what = str(field.label).lower()
            field.error_messages["invalid_choice"] = f"Select a {what} shown in the list"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if "start" in self.errors or "end" in self.errors:
            return data
        end = end or self.today
        start = start or (end.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
        if start > end:
            self.add_error("end", "The end date must be the same as or after the start date.")
        elif (end - start).days > 366 * MAX_YEARS:
            self.add_error("start", f"The date range must be {MAX_YEARS} years or less.")
        elif data.get("period") == WEEK and (end - start).days > 366 * MAX_WEEKLY_YEARS:
            self.add_error(
                "period", f"Show by month or quarter for a range longer than {MAX_WEEKLY_YEARS} years."
            )
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> Filters:
        """The filters chosen (call after is_valid())."""
        data = self.cleaned_data
        teams = None if self.all_teams else tuple(team.pk for team in self.teams.values())
        team = self.teams.get(data.get("team") or "")
        if team is None and not self.all_teams:
            team = next(iter(self.teams.values()), None)
        return Filters(
            start=data["start"],
            end=data["end"],
            period=data.get("period") or MONTH,
            board=self.boards.get(data.get("board") or ""),
            team=team,
            source=data.get("source") or "",
            about=data.get("about") or "",
            signs=data.get("signs") or "",
            decision=data.get("decision") or "",
            route=data.get("route") or "",
            teams_allowed=teams,
        )
