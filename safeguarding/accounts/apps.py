"""Staff accounts: users, their agency and roles, sign-in with a password and a second factor."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeguarding.accounts"
    verbose_name = "Staff accounts"

    def ready(self) -> None:
        from safeguarding.audit.watch import config_changes_audit

        from . import signals  # noqa: F401  (connects the receivers)
        from .models import Role

        # Roles given or taken away, wherever (the admin also records the account's roles before and after).
        config_changes_audit(Role, fields=["user", "kind", "board", "agency"])
