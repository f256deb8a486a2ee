"""The follow-up form: a reference, the receipt code, and optionally more information."""

from django import forms

from ..services import FOLLOW_UP_MAX_LENGTH


class FollowUpForm(forms.Form):
    reference = forms.CharField(
        max_length=40,
        error_messages={
            "required": "Enter your reference number",
            "max_length": "Enter your reference number as it was shown, like C-2026-000123",
        },
    )
    receipt_code = forms.CharField(
        max_length=40,
        error_messages={
            "required": "Enter your receipt code",
            "max_length": "Enter your receipt code as it was shown, like ABCD-EFGH-JKMN-PQRS",
        },
    )
    information = forms.CharField(
        required=False,
        max_length=FOLLOW_UP_MAX_LENGTH,
        error_messages={
            "max_length": f"The information you add must be {FOLLOW_UP_MAX_LENGTH:,} characters or fewer",
            "null_characters_not_allowed": "The information you add contains characters that cannot be read",
        },
    )
