"""The filter on the similar pairs page: one review, or all of them. Anything else is a clear error."""

from typing import Any

from django import forms

from safeguarding.core.forms import form_field
from safeguarding.reviews.models import Review


class PairFilterForm(forms.Form):
    review = forms.TypedChoiceField(
        label="Review",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a review from the list"},
    )

    def __init__(self, *args: Any, reviews: list[Review], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reviews = {review.pk: review for review in reviews}
        field = form_field(self, "review", forms.TypedChoiceField)
        field.choices = [("", "All reviews")] + [
            (str(review.pk), review.short_title or review.title) for review in reviews
        ]
        field.widget.attrs["class"] = "govuk-select"

    def chosen_review(self) -> Review | None:
        if not self.is_valid():
            return None
        return self.reviews.get(self.cleaned_data["review"]) if self.cleaned_data["review"] else None
