"""Forms of the tracker's staff pages, on the GOV.UK base class in `safeguarding.core.forms`."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from safeguarding.accounts.models import User
from safeguarding.core.forms import GovukDateField, GovukForm, form_field
from safeguarding.partnership.models import Agency, Board

from .models import Action, Evidence, Rag, SignOff


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.agency})" if obj.agency_id else str(obj)


class RecommendationFilterForm(forms.Form):
    """GET filters for the staff list. Unknown values are ignored: a bookmarked URL still shows a list."""

    review = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Review")
    board = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Board")
    agency = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Agency")
    status = forms.ChoiceField(required=False, label="Public status")

    def __init__(self, data: Any, *, options: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__(data)
        for name in ("review", "board", "agency", "status"):
            field = form_field(self, name, forms.ChoiceField)
            field.choices = [("", "All"), *options[name]]
            field.widget.attrs["class"] = "govuk-select"

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) or None for name in ("review", "board", "agency", "status")}


class TrackerForm(GovukForm):
    """GovukForm, and a choice that is not on the list (a changed or forged form) gets the field's own
    "Select ..." message, never Django's "Select a valid choice. That choice is not one of the ..."."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                defaults = (
                    forms.ChoiceField.default_error_messages["invalid_choice"],
                    forms.ModelChoiceField.default_error_messages["invalid_choice"],
                )
                if field.error_messages.get("invalid_choice") in defaults:
                    field.error_messages["invalid_choice"] = field.error_messages["required"]


def _lead_queryset() -> QuerySet[User]:
    return User.objects.filter(is_active=True, agency__isnull=False).select_related("agency")


class ActionForm(TrackerForm):
    """Add an action (partnership managers), or change one (owner agency leads and managers)."""

    id_prefix = "action"

    description = forms.CharField(
        label="What the action is",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the action is"},
    )
    owner_agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        label="Owner agency",
        empty_label="Choose an agency",
        error_messages={"required": "Select the agency that owns the action"},
    )
    lead = LeadChoiceField(
        queryset=_lead_queryset(),
        required=False,
        label="Named lead (optional)",
        empty_label="No named lead yet",
        help_text="The lead must work for the owner agency.",
        error_messages={"invalid_choice": "Select a lead from the list"},
    )
    due_date = GovukDateField(label="Due date", required=False, help_text="For example, 27 3 2027")
    status = forms.ChoiceField(
        choices=Action.Status.choices,
        label="Status",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's status"},
    )

    def __init__(
        self, *args: Any, can_assign: bool = True, agency: Agency | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not can_assign:
            # Whoever cannot move the action chooses its lead among the owner agency's staff.
            del self.fields["owner_agency"]
            if agency is not None:
                lead = form_field(self, "lead", forms.ModelChoiceField)
                lead.queryset = _lead_queryset().filter(agency=agency)


class ProgressNoteForm(TrackerForm):
    id_prefix = "note"

    text = forms.CharField(
        label="Progress note",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the progress note"},
    )


class EvidenceForm(TrackerForm):
    """A file, a link or a note. The page shows each kind's field under its radio (GOV.UK conditional
    reveal); without JavaScript every field shows, and only the chosen kind's field is read."""

    id_prefix = "evidence"
    # The field each kind of evidence reads; the others are ignored, whatever was typed in them.
    KIND_FIELDS: dict[str, str] = {
        Evidence.Kind.FILE: "file",
        Evidence.Kind.LINK: "url",
        Evidence.Kind.NOTE: "note",
    }

    title = forms.CharField(
        max_length=200,
        label="Title",
        help_text="For example, Training register, March",
        error_messages={
            "required": "Enter a title for the evidence",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        choices=Evidence.Kind.choices,
        label="What kind of evidence is it?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of evidence it is",
            "invalid_choice": "Select a file, a link or a note",
        },
    )
    file = forms.FileField(
        required=False,
        label="Upload the file",
        widget=forms.FileInput,
        help_text="A PDF, image, Word, Excel, PowerPoint, OpenDocument, text or CSV file, smaller than 20 MB",
        error_messages={
            "invalid": "The file could not be read: choose it again",
            "empty": "The file is empty: choose a file with the evidence in it",
            "max_length": "The file's name must be 200 characters or fewer",
        },
    )
    url = forms.URLField(
        required=False,
        label="Link to the evidence",
        assume_scheme="https",
        help_text="The full address, starting with https://",
        error_messages={"invalid": "Enter the link in the right format, like https://example.org/page"},
    )
    note = forms.CharField(required=False, label="The note", widget=forms.Textarea(attrs={"rows": 4}))
    effective_date = GovukDateField(
        label="Date the evidence applies from",
        help_text="This can be earlier than today, for example the date of a training session",
        error_messages={"required": "Enter the date the evidence applies from"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = self.KIND_FIELDS.get(cleaned.get("kind") or "")
        for name in self.KIND_FIELDS.values():
            if name != chosen:
                # Not this kind's field: whatever it holds (even something invalid) is not read.
                self.errors.pop(name, None)
                cleaned[name] = None if name == "file" else ""
        return cleaned

    def kind_options(self) -> list[dict[str, Any]]:
        """Each kind of evidence with its radio's id and the field it reveals, for the template."""
        bound = self["kind"]
        return [
            {
                "value": value,
                "label": label,
                "id": bound.auto_id if index == 0 else f"{bound.auto_id}-{index + 1}",
                "checked": str(bound.value() or "") == str(value),
                "field": self[self.KIND_FIELDS[value]],
            }
            for index, (value, label) in enumerate(Evidence.Kind.choices)
        ]


class RagOverrideForm(TrackerForm):
    id_prefix = "override"

    rag = forms.ChoiceField(
        choices=Rag.choices,
        label="RAG status to show",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the RAG status to show"},
    )
    reason = forms.CharField(
        label="Why the computed status is wrong",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone who sees the action will see this reason",
        error_messages={"required": "Enter why the computed status is wrong"},
    )


class RagOverrideClearForm(TrackerForm):
    id_prefix = "override-clear"

    reason = forms.CharField(
        label="Why the override is no longer needed",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter why the override is no longer needed"},
    )


class EvidenceReviewForm(TrackerForm):
    id_prefix = "review"

    decision = forms.ChoiceField(
        choices=[("accept", "Accept it"), ("return", "Return it with a reason")],
        label="Your decision",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        required=False,
        label="Reason for returning it",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Say what is missing or wrong, so the agency can fix it",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "return" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter why the evidence is being returned.")
        return cleaned


class SignOffForm(TrackerForm):
    id_prefix = "sign-off"

    board = forms.ModelChoiceField(
        queryset=Board.objects.none(),
        label="Board",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the board that decided"},
    )
    meeting_date = GovukDateField(
        label="Date of the meeting",
        help_text="For example, 14 1 2027",
        error_messages={"required": "Enter the date of the meeting"},
    )
    minute_reference = forms.CharField(
        max_length=100,
        label="Minute reference",
        error_messages={
            "required": "Enter the minute reference",
            "max_length": "The minute reference must be 100 characters or fewer",
        },
    )
    decision = forms.ChoiceField(
        choices=SignOff.Decision.choices,
        label="Decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the board decided"},
    )
    notes = forms.CharField(
        required=False, label="Notes (optional)", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, boards: list[Board], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "board", forms.ModelChoiceField)
        field.queryset = Board.objects.filter(pk__in=[board.pk for board in boards])
        if len(boards) == 1:
            field.initial = boards[0].pk
