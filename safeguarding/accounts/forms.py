"""Forms for signing in and two-step verification. Error messages are GOV.UK style, in plain English.

The sign-in form never says whether a username exists: a wrong username and a wrong password get
the same message.
"""

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.http import HttpRequest

from .models import User

SIGN_IN_FAILED = "Enter a correct username and password"


class SignInForm(forms.Form):
    username = forms.CharField(max_length=150, error_messages={"required": "Enter your username"}, strip=True)
    password = forms.CharField(
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        # django-axes needs the request: it counts failures per username and refuses locked ones.
        user = authenticate(self.request, username=data["username"], password=data["password"])
        if user is None:
            raise forms.ValidationError(SIGN_IN_FAILED, code="invalid_login")
        self.user = user
        return data


class CodeForm(forms.Form):
    code = forms.CharField(max_length=40, strip=True, error_messages={"required": "Enter your security code"})


class SetPasswordForm(DjangoSetPasswordForm):
    """Setting a password from the link an administrator's invitation e-mailed: GOV.UK messages."""

    error_messages = {"password_mismatch": "The two passwords do not match: type the same password twice"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Type the new password again"
