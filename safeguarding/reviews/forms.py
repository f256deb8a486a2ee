"""The GET filter forms of the public pages: the review list (search and filters) and a review's
recommendations.

Filters come from URLs people bookmark, share and edit, so a value we do not know is ignored and
reported back in plain words rather than refused: the page always shows something useful.
"""

import copy
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict

from safeguarding.core.forms import form_field
from safeguarding.core.page_cache import content_memo

from .models import Recommendation

QUERY_MAX_LENGTH = 200


def _choice_pairs(field: forms.ChoiceField) -> list[tuple[str, str]]:
    """The field's choices as (value, label) text. Django keeps choices as a list of pairs once they
    are set; django-stubs types the getter with all that may be set (callables, Choices classes)."""
    return [(str(key), str(label)) for key, label in cast(Iterable[tuple[Any, Any]], field.choices)]


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the values it knows and drops the rest (FilterForm.ignored_values reports them)."""

    def clean(self, value: object) -> list[str]:
        known = {key for key, _label in _choice_pairs(self)}
        return [v for v in dict.fromkeys(self.to_python(value)) if v in known]


@dataclass(frozen=True)
class CheckboxOption:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class CheckboxGroup:
    name: str
    legend: str
    hint: str
    options: list[CheckboxOption]


@dataclass(frozen=True)
class SelectedFilter:
    legend: str
    label: str
    remove_url: str  # the query string without this one value


class SharedFields(dict[str, forms.Field]):
    """A form's fields, set up once and shared by every form made with them. Django copies each form's
    fields so that a form may change its own; these GET forms never change theirs after set-up, and the
    copy took a third of a search page's time."""

    def __deepcopy__(self, memo: dict[int, object]) -> "SharedFields":
        return SharedFields(self)


class FilterForm(forms.Form):
    """A GET form of checkbox filters. Always valid: unknown values are dropped, and listed."""

    checkbox_fields: tuple[str, ...] = ()
    hints: dict[str, str] = {}
    data: QueryDict  # the query string: each form here is made from request.GET

    def _checkbox_field(self, name: str) -> LenientMultipleChoiceField:
        return form_field(self, name, LenientMultipleChoiceField)

    def value(self, name: str) -> list[str]:
        return self.cleaned_data.get(name) or []

    def ignored_values(self) -> list[str]:
        ignored: list[str] = []
        for name in self.checkbox_fields:
            known = {key for key, _label in _choice_pairs(self._checkbox_field(name))}
            ignored += [v for v in self.data.getlist(name) if v not in known]
        return ignored

    def is_filtered(self) -> bool:
        return any(self.value(name) for name in self.checkbox_fields)

    def chosen_key(self) -> str:
        """The known values ticked, in a fixed order: a key for caching the rendered checkboxes."""
        return "&".join(
            f"{name}={value}" for name in self.checkbox_fields for value in sorted(self.value(name))
        )

    def checkbox_groups(self) -> list[CheckboxGroup]:
        groups = []
        for name in self.checkbox_fields:
            field = self._checkbox_field(name)
            if not field.choices:
                continue
            chosen = set(self.value(name))
            options = [CheckboxOption(key, label, key in chosen) for key, label in _choice_pairs(field)]
            groups.append(CheckboxGroup(name, str(field.label), self.hints.get(name, ""), options))
        return groups

    def _params(self) -> list[tuple[str, str]]:
        params = [(name, value) for name in self.checkbox_fields for value in self.value(name)]
        return [*self._extra_params(), *params]

    def query_params(self) -> QueryDict:
        """The query string of what the form knows (search words and ticked filters), for page links."""
        params = QueryDict(mutable=True)
        for name, value in self._params():
            params.appendlist(name, value)
        return params

    def _extra_params(self) -> list[tuple[str, str]]:
        return []

    def selected_filters(self) -> list[SelectedFilter]:
        selected = []
        params = self._params()
        for name in self.checkbox_fields:
            labels = dict(_choice_pairs(self._checkbox_field(name)))
            for value in self.value(name):
                remaining = [p for p in params if p != (name, value)]
                selected.append(
                    SelectedFilter(str(self.fields[name].label), labels[value], "?" + urlencode(remaining))
                )
        return selected

    def clear_url(self) -> str:
        """The query string with every checkbox filter removed (the search words kept)."""
        return "?" + urlencode(self._extra_params())


_AUDIENCE_CHOICES = [
    ("children", "Children"),
    ("adults", "Adults"),
    ("both", "Only those for both children and adults"),
]
_AUDIENCE_HINT = "Recommendations for both children and adults are included under each."


class ReviewListForm(FilterForm):
    """Search words and filters for /reviews/. Choices come from the published content."""

    checkbox_fields = ("review_type", "board", "theme", "audience")
    hints = {"audience": _AUDIENCE_HINT, "theme": "Reviews with at least one recommendation on the theme."}

    q = forms.CharField(required=False, strip=True, label="Search reviews and recommendations")
    review_type = LenientMultipleChoiceField(required=False, label="Type of review")
    board = LenientMultipleChoiceField(required=False, label="Board")
    theme = LenientMultipleChoiceField(required=False, label="Theme")
    audience = LenientMultipleChoiceField(required=False, label="Who the recommendations are for")

    def __init__(self, data: QueryDict, *, options: dict[str, list[tuple[str, str]]]) -> None:
        key = hashlib.sha256(repr(sorted(options.items())).encode()).hexdigest()
        super().__init__(data)
        # The fields with their choices are set up once per content version and shared (SharedFields).
        self.fields = content_memo(f"reviews.list_form_fields:{key}", lambda: self._fields_for(options))
        self.is_valid()

    @classmethod
    def _fields_for(cls, options: dict[str, list[tuple[str, str]]]) -> SharedFields:
        fields = SharedFields(copy.deepcopy(cls.base_fields))
        for name, choices in (*options.items(), ("audience", _AUDIENCE_CHOICES)):
            field = fields[name]
            if isinstance(field, LenientMultipleChoiceField):
                field.choices = choices
        return fields

    def clean_q(self) -> str:
        # A long paste is cut, not refused: search uses the first words anyway.
        return " ".join(self.cleaned_data.get("q", "").split())[:QUERY_MAX_LENGTH]

    def _extra_params(self) -> list[tuple[str, str]]:
        query = self.cleaned_data.get("q")
        return [("q", query)] if query else []


# Never changed: each form replaces them with its own set-up fields (above).
ReviewListForm.base_fields = SharedFields(ReviewListForm.base_fields)


class RecommendationFilterForm(FilterForm):
    """Filters for the recommendations on a review's page."""

    checkbox_fields = ("audience", "theme", "addressee", "status")
    hints = {"audience": _AUDIENCE_HINT}

    audience = LenientMultipleChoiceField(required=False, label="Who it is for")
    theme = LenientMultipleChoiceField(required=False, label="Theme")
    addressee = LenientMultipleChoiceField(
        required=False, label="Addressed to", choices=Recommendation.Addressee.choices
    )
    status = LenientMultipleChoiceField(
        required=False, label="Progress", choices=Recommendation.PublicStatus.choices
    )

    def __init__(self, data: QueryDict, *, themes: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self._checkbox_field("audience").choices = _AUDIENCE_CHOICES
        self._checkbox_field("theme").choices = themes
        self.is_valid()
