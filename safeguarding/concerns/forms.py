"""Forms of the triage pages, in GOV.UK markup through `safeguarding.core.forms.GovukForm`.

Forms gather input; the services (services/triage.py) decide what is valid and allowed, and their
ValidationErrors come back through `add_service_error`, beside the field and in the error summary.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet

from safeguarding.core.forms import GovukDateField, GovukForm, form_field
from safeguarding.partnership.models import Agency

from .models import Concern, DecisionOption, Team

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
