"""Forms of the analyst's pages, in GOV.UK markup through `safeguarding.core.forms.GovukForm`.

Forms gather input; the services (services/links.py, services/alerts.py) decide what is valid, and
their ValidationErrors come back through `add_service_error`. The hotspot filter is a GET form of
codes only (a period and kinds): nothing anyone typed about a concern ever goes in an address.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet

from safeguarding.core.forms import GovukForm, form_field

from .selectors import HOTSPOT_KINDS

_NO_NAMES = "Say why in a sentence or two. This is kept with the link and shown to other analysts."


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class LinkDecisionForm(GovukForm):
    id_prefix = "link"

    decision = forms.ChoiceField(
        label="Are these two concerns linked?",
        choices=[
            ("confirm", "Yes, confirm the link"),
            ("reject", "No, reject the link"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the concerns are linked"},
    )
    reason = forms.CharField(
        label="Reason for your decision",
        help_text=_NO_NAMES,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={
            "required": "Enter the reason for your decision",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )


class AlertAssignForm(GovukForm):
    id_prefix = "assign"

    to = PersonChoiceField(
        queryset=None,
        label="Who should handle this alert?",
        empty_label="Choose a person",
        help_text="Members of the exploitation team.",
        error_messages={"required": "Choose who should handle this alert"},
    )

    def __init__(self, *args: Any, people: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "to", forms.ModelChoiceField).queryset = people


class AlertCloseForm(GovukForm):
    id_prefix = "close"

    outcome = forms.CharField(
        label="Outcome",
        help_text="What was decided or done, for example a referral to the exploitation meeting.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={
            "required": "Enter the outcome",
            "max_length": "The outcome must be 2,000 characters or fewer",
        },
    )


PERIODS = [
    ("3", "Last 3 months"),
    ("6", "Last 6 months"),
    ("12", "Last 12 months"),
    ("18", "Last 18 months"),
    ("all", "All time"),
]


class HotspotFilterForm(GovukForm):
    id_prefix = "filter"

    period = forms.ChoiceField(
        label="Concerns received in the",
        choices=PERIODS,
        initial="12",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a period from the list"},
    )
    kinds = forms.MultipleChoiceField(
        label="Show",
        choices=[(name, label) for name, (label, _) in HOTSPOT_KINDS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose what to show from the list"},
    )

    def period_months(self) -> int | None:
        period = (self.cleaned_data.get("period") if self.is_valid() else None) or "12"
        return None if period == "all" else int(period)

    def chosen_kinds(self) -> list[str]:
        return (self.cleaned_data.get("kinds") if self.is_valid() else None) or list(HOTSPOT_KINDS)
