"""Forms of the triage pages, in GOV.UK markup through `safeguarding.core.forms.GovukForm`.

Forms gather input; the services (services/triage.py) decide what is valid and allowed, and their
ValidationErrors come back through `add_service_error`, beside the field and in the error summary.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict

from safeguarding.core.forms import GovukDateField, GovukForm, form_field
from safeguarding.partnership.models import Agency

from .models import Concern, DecisionOption, PoliceCallRecord, Team
from .references import reference_normalise

_NO_NAMES = "Do not write names or other details of the people in the concern here."


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class AssignForm(GovukForm):
    """The people offered are set per concern: members of its receiving teams."""

    id_prefix = "assign"

    assignee = PersonChoiceField(
        queryset=None,
        label="Who should work on this concern?",
        empty_label="Choose a person",
        help_text="Members of the teams this concern was sent or shared to.",
    )

    def __init__(self, *args: Any, people: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "assignee", forms.ModelChoiceField).queryset = people


class DecisionForm(GovukForm):
    id_prefix = "decision"

    option = forms.ModelChoiceField(
        queryset=DecisionOption.objects.none(),
        label="What is the decision?",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a decision.",
            "invalid_choice": "Choose a decision from the list.",
        },
    )
    reasons = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the reasons for the decision."},
    )

    def __init__(self, *args: Any, options: QuerySet[DecisionOption], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "option", forms.ModelChoiceField).queryset = options


class NoteForm(GovukForm):
    id_prefix = "note"

    text = forms.CharField(
        label="Internal note",
        help_text="Only members of the teams working on this concern can read notes.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the note."},
    )


class AttachmentForm(GovukForm):
    id_prefix = "attachment"

    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, image, Word, Excel, PowerPoint, OpenDocument, text or CSV file, under 20 MB.",
        widget=forms.FileInput,
        error_messages={"required": "Choose a file to upload.", "empty": "The file is empty."},
    )


class InformationShareForm(GovukForm):
    id_prefix = "share"

    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        label="Agency it was shared with",
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency it was shared with."},
    )
    recipient = forms.CharField(
        label="Person or team at the agency",
        max_length=500,
        error_messages={"required": "Enter the person or team it was shared with."},
    )
    what_shared = forms.CharField(
        label="What was shared",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what was shared."},
    )
    purpose = forms.CharField(
        label="Why it was shared",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why it was shared."},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing",
        choices=Concern.LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the lawful basis for sharing."},
    )
    decided_by = forms.CharField(
        label="Who decided to share it",
        help_text="Their name and role.",
        max_length=500,
        error_messages={"required": "Enter who decided to share it."},
    )
    shared_on = GovukDateField(label="Date it was shared", help_text="For example, 27 3 2027")


class TeamShareForm(GovukForm):
    id_prefix = "team-share"

    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        label="Team to share it with",
        empty_label="Choose a team",
        help_text="Everyone in the team will be able to see the concern and work on it.",
        error_messages={"required": "Choose a team.", "invalid_choice": "Choose a team from the list."},
    )
    reason = forms.CharField(
        label="Why are you sharing it?",
        help_text=_NO_NAMES,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are sharing it with this team."},
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "team", forms.ModelChoiceField).queryset = teams


class LegalHoldForm(GovukForm):
    id_prefix = "legal-hold"

    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason."},
    )


class UrgencyRemovalForm(GovukForm):
    id_prefix = "remove-urgent"

    reason = forms.CharField(
        label="Why is the concern no longer urgent?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the concern is no longer urgent."},
    )


# --- The queue's filters (docs/decisions/0030) --------------------------------------------------------

ASSIGNED_CHOICES = [("", "Anyone or nobody"), ("mine", "Assigned to me"), ("unassigned", "Not assigned")]
SHOW_CHOICES = [
    ("urgent", "Urgent"),
    ("immediate_danger", "Immediate danger reported"),
    ("signs", "Signs of exploitation"),
    ("overdue", "Overdue"),
    ("due_today", "Due today (not yet overdue)"),
]
ABOUT_SHORT = {"child": "Child", "adult": "Adult", "not_sure": "Not sure if child or adult"}
SOURCE_SHORT = {"public": "Public", "professional": "Professional", "api": "Agency system"}


def _reference_error() -> str:
    return f"Enter a concern reference in the form {settings.CONCERN_REFERENCE_PREFIX}-2026-000123."


class QueueFilterForm(GovukForm):
    """The queue's filters, read from the address (GET): codes only, every one checked."""

    id_prefix = "filter"

    assigned = forms.ChoiceField(
        label="Assigned to",
        choices=ASSIGNED_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose who the concerns are assigned to from the list."},
    )
    show = forms.MultipleChoiceField(
        label="Show only concerns that are",
        help_text="A concern must match every box you tick.",
        choices=SHOW_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose what to show from the list."},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Any status but closed"), *Concern.Status.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a status from the list."},
    )
    source = forms.ChoiceField(
        label="Reported by",
        choices=[
            ("", "Anyone"),
            ("public", "Member of the public"),
            ("professional", "Professional"),
            ("api", "Agency system"),
        ],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose who reported it from the list."},
    )
    about = forms.ChoiceField(
        label="About",
        choices=[("", "Anyone"), *ABOUT_SHORT.items()],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose who the concern is about from the list."},
    )
    q = forms.CharField(label="Concern reference", required=False, max_length=40)

    def clean_show(self) -> list[str]:
        show: list[str] = self.cleaned_data["show"]
        if "overdue" in show and "due_today" in show:
            raise forms.ValidationError("Choose overdue or due today, not both: no concern is both.")
        return show

    def clean_q(self) -> str:
        text = self.cleaned_data["q"].strip()
        if not text:
            return ""
        reference = reference_normalise(text)
        if not reference:
            # The value is not shown back: it may not be a reference at all (a name, say).
            if isinstance(self.data, QueryDict):
                self.data = self.data.copy()
                self.data["q"] = ""
            raise forms.ValidationError(_reference_error())
        return reference


class ReferenceSearchForm(GovukForm):
    """Find a concern by its reference. Posted, so that whatever is typed never reaches the address."""

    id_prefix = "search"

    reference = forms.CharField(
        label="Find a concern by its reference",
        max_length=40,
        error_messages={"required": "Enter a concern reference.", "max_length": "Enter a concern reference."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].help_text = f"For example, {settings.CONCERN_REFERENCE_PREFIX}-2026-000123"
        self.fields["reference"].widget.attrs["aria-describedby"] = "search-reference-hint"

    def clean_reference(self) -> str:
        reference = reference_normalise(self.cleaned_data["reference"])
        if not reference:
            raise forms.ValidationError(_reference_error())
        return reference


class PoliceCallForm(GovukForm):
    """Whether the police were called, asked on a concern where immediate danger was reported."""

    id_prefix = "police"

    answer = forms.ChoiceField(
        label="Were the police called?",
        choices=PoliceCallRecord.Answer.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the police were called.",
            "invalid_choice": "Select whether the police were called.",
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text="For example, who called them and when, or an incident number. " + _NO_NAMES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
