"""Forms of the tracker's staff pages, rendered with GOV.UK Frontend markup.

Forms only gather and shape input; the services decide what is allowed and valid, and their
ValidationErrors are added back to the form (`form.add_error(None, error)`), so every message shows
beside its field and in the error summary.
"""

import datetime
from typing import Any

from django import forms

from safeguarding.accounts.models import User
from safeguarding.partnership.models import Agency, Board

from .models import Action, Evidence, Rag, SignOff

# --- GOV.UK rendering --------------------------------------------------------------------------------


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes."""

    template_name = "tracker/widgets/date.html"
    has_error = False

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        box = {"class": "govuk-input govuk-date-input__input govuk-input--width-2", "inputmode": "numeric"}
        year = {"class": "govuk-input govuk-date-input__input govuk-input--width-4", "inputmode": "numeric"}
        super().__init__([forms.TextInput(box), forms.TextInput(box), forms.TextInput(year)], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        base_id = (attrs or {}).get("id", f"id_{name}")
        for subwidget, part, label in zip(
            context["widget"]["subwidgets"], ("day", "month", "year"), ("Day", "Month", "Year"), strict=True
        ):
            subwidget["attrs"]["id"] = base_id if part == "day" else f"{base_id}-{part}"
            subwidget["label"] = label
            if self.has_error:
                subwidget["attrs"]["class"] += " govuk-input--error"
        context["widget"]["base_id"] = base_id
        return context


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> datetime.date | None:
        if not data_list or not any(data_list):
            if self.required:
                raise forms.ValidationError(f"Enter the {str(self.label).lower()}.", code="required")
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        missing = [
            name for name, part in zip(("day", "month", "year"), (day, month, year), strict=True) if not part
        ]
        if missing:
            raise forms.ValidationError(
                f"The {str(self.label).lower()} must include a {' and '.join(missing)}."
            )
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"The {str(self.label).lower()} must be a real date.") from None


class GovukForm(forms.Form):
    """Adds GOV.UK classes, hints and error links to every field, and GOV.UK's standard messages."""

    _classes = {
        "text": "govuk-input",
        "url": "govuk-input",
        "textarea": "govuk-textarea",
        "select": "govuk-select",
        "file": "govuk-file-upload",
    }

    # Several forms share a page, so each gives its fields' ids its own prefix (names stay plain).
    id_prefix = "f"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget_type = self[name].widget_type
            if widget_type in self._classes:
                field.widget.attrs.setdefault("class", self._classes[widget_type])
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_errors()

    def mark_errors(self) -> None:
        for name in self.errors:
            if name not in self.fields:
                continue
            field, bound = self.fields[name], self[name]
            described = [f"{bound.auto_id}-hint"] if field.help_text else []
            field.widget.attrs["aria-describedby"] = " ".join([*described, f"{bound.auto_id}-error"])
            if isinstance(field.widget, GovukDateWidget):
                field.widget.has_error = True
            elif "class" in field.widget.attrs and "--error" not in field.widget.attrs["class"]:
                css = field.widget.attrs["class"]
                field.widget.attrs["class"] = f"{css} {css.split()[0]}--error"

    def add_service_error(self, error: forms.ValidationError) -> None:
        """Add a service's ValidationError: by field where the field is on the form, else to the top."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error)
        self.mark_errors()


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.agency})" if obj.agency_id else str(obj)


# --- Tracker forms -----------------------------------------------------------------------------------


class RecommendationFilterForm(forms.Form):
    """GET filters for the staff list. Unknown values are ignored: a bookmarked URL still shows a list."""

    review = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Review")
    board = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Board")
    agency = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Agency")
    status = forms.ChoiceField(required=False, label="Public status")

    def __init__(self, data: Any, *, options: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__(data)
        for name in ("review", "board", "agency", "status"):
            self.fields[name].choices = [("", "All"), *options[name]]
            self.fields[name].widget.attrs["class"] = "govuk-select"

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) or None for name in ("review", "board", "agency", "status")}


def _lead_queryset() -> Any:
    return User.objects.filter(is_active=True, agency__isnull=False).select_related("agency")


class ActionForm(GovukForm):
    """Add an action (partnership managers), or change one (owner agency leads and managers)."""

    id_prefix = "action"

    description = forms.CharField(label="What the action is", widget=forms.Textarea(attrs={"rows": 4}))
    owner_agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(), label="Owner agency", empty_label="Choose an agency"
    )
    lead = LeadChoiceField(
        queryset=_lead_queryset(),
        required=False,
        label="Named lead (optional)",
        empty_label="No named lead yet",
        help_text="The lead must work for the owner agency.",
    )
    due_date = GovukDateField(label="Due date", required=False, help_text="For example, 27 3 2027")
    status = forms.ChoiceField(choices=Action.Status.choices, label="Status", widget=forms.RadioSelect)

    def __init__(
        self, *args: Any, can_assign: bool = True, agency: Agency | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not can_assign:
            # Whoever cannot move the action chooses its lead among the owner agency's staff.
            del self.fields["owner_agency"]
            if agency is not None:
                lead = self.fields["lead"]
                lead.queryset = lead.queryset.filter(agency=agency)  # type: ignore[attr-defined]


class ProgressNoteForm(GovukForm):
    id_prefix = "note"

    text = forms.CharField(label="Progress note", widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(GovukForm):
    id_prefix = "evidence"

    kind = forms.ChoiceField(
        choices=Evidence.Kind.choices, label="What kind of evidence is it?", widget=forms.RadioSelect
    )
    title = forms.CharField(max_length=200, label="Title", help_text="For example, Training register, March")
    file = forms.FileField(
        required=False,
        label="File (if it is a file)",
        widget=forms.FileInput,
        help_text="A PDF, image, Word, Excel, PowerPoint, OpenDocument, text or CSV file, smaller than 20 MB",
    )
    url = forms.URLField(required=False, label="Link (if it is a link)", assume_scheme="https")
    note = forms.CharField(
        required=False, label="Note (if it is a note)", widget=forms.Textarea(attrs={"rows": 3})
    )
    effective_date = GovukDateField(
        label="Date the evidence applies from",
        help_text="This can be earlier than today, for example the date of a training session",
    )


class RagOverrideForm(GovukForm):
    id_prefix = "override"

    rag = forms.ChoiceField(choices=Rag.choices, label="RAG status to show", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Why the computed status is wrong",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone who sees the action will see this reason",
    )


class RagOverrideClearForm(GovukForm):
    id_prefix = "override-clear"

    reason = forms.CharField(
        label="Why the override is no longer needed", widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceReviewForm(GovukForm):
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


class SignOffForm(GovukForm):
    id_prefix = "sign-off"

    board = forms.ModelChoiceField(
        queryset=Board.objects.none(), label="Board", widget=forms.RadioSelect, empty_label=None
    )
    meeting_date = GovukDateField(label="Date of the meeting", help_text="For example, 14 1 2027")
    minute_reference = forms.CharField(max_length=100, label="Minute reference")
    decision = forms.ChoiceField(choices=SignOff.Decision.choices, label="Decision", widget=forms.RadioSelect)
    notes = forms.CharField(
        required=False, label="Notes (optional)", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, boards: list[Board], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["board"]
        field.queryset = Board.objects.filter(pk__in=[board.pk for board in boards])
        if len(boards) == 1:
            field.initial = boards[0].pk
