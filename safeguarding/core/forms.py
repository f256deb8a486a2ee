"""GOV.UK Frontend markup for Django forms: the base class every staff form uses, and the date input.

Forms only gather and shape input; services decide what is allowed and valid, and their
ValidationErrors are added back to the form (`add_service_error`), so every message shows beside its
field and in the error summary. Templates render fields with `core/includes/field.html`.
"""

import datetime
from typing import Any, TypeVar

from django import forms

FieldT = TypeVar("FieldT", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's field `name`, as the kind of field it is, to set its choices or queryset per form.

    `form.fields` holds its fields typed as plain `Field`s; this checks the kind, so what is set on
    the field is type-checked against the field it really is.
    """
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"The field {name!r} is a {type(field).__name__}, not a {kind.__name__}.")
    return field


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes."""

    template_name = "core/widgets/date.html"
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
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                # Never Django's "This field is required." (the same words under every field): GOV.UK's
                # "Enter ..." or "Select ...", from the field's own label unless the form words it.
                verb = (
                    "Select"
                    if widget_type in {"select", "radioselect", "checkboxselectmultiple"}
                    else "Enter"
                )
                label = str(field.label or name.replace("_", " ")).rstrip("?").lower()
                field.error_messages["required"] = f"{verb} {label}"

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
