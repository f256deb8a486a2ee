"""Staff accounts: users, their agency and roles, sign-in with a password and a second factor."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeguarding.accounts"
    verbose_name = "Staff accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
