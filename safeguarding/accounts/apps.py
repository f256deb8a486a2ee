"""Staff accounts: users, their agency and roles, sign-in with a password and a second factor."""

from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeguarding.accounts"
    verbose_name = "Staff accounts"

    def ready(self) -> None:
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from safeguarding.audit.watch import config_changes_audit

        from . import signals  # noqa: F401  (connects the receivers)
        from .models import AgencyApiToken, Role, User

        # Everything below is audited wherever it changes: the admin, the staff pages, a command
        # (createsuperuser, changepassword, api_token_create), a shell. The admin and the services
        # also write their own, fuller events; these make sure nothing is missed (issue 10).
        # Roles given or taken away (the admin also records the account's roles before and after).
        config_changes_audit(Role, fields=["user", "kind", "board", "agency"])
        # Accounts: who may sign in, with what powers. The password only as "set"; last_login is not
        # a change to the account.
        config_changes_audit(
            User,
            fields=["username", "agency", "is_active", "is_staff", "is_superuser"],
            secret=["password"],
        )

        def owner(device: Any) -> User:
            return User(pk=device.user_id)  # no query: the user may be being deleted too

        # Second factors made, confirmed or removed; never their keys or codes. Their counters and
        # throttling, saved on every use, are not recorded.
        config_changes_audit(TOTPDevice, fields=["user", "name", "confirmed"], subject=owner)
        config_changes_audit(StaticDevice, fields=["user", "name", "confirmed"], subject=owner)
        # Agency API tokens: made, renamed or revoked; never the secret or its hash.
        config_changes_audit(AgencyApiToken, fields=["agency", "name", "prefix", "revoked_at", "revoked_by"])
