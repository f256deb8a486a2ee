"""Load the fictional training review and the demo staff accounts (safeguarding/demo/services.py)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.demo.services import DemoNotAllowed, demo_load


class Command(BaseCommand):
    help = (
        "Create a fictional training review with actions in every state, and demo staff accounts. "
        "Safe to run again: it only adds what is missing. New accounts' passwords are printed once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the existing demo accounts new passwords, and print them.",
        )

    def handle(self, *args: Any, reset_passwords: bool, **options: Any) -> None:
        try:
            result = demo_load(reset_passwords=reset_passwords)
        except DemoNotAllowed as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Training example: {result.summary()}.")
        if result.passwords:
            self._passwords(result.passwords)
        else:
            self.stdout.write(
                "The demo accounts already exist; their passwords are not shown again. "
                "Run with --reset-passwords to give them new ones."
            )

    def _passwords(self, passwords: list[tuple[str, str, str]]) -> None:
        # Written to the terminal only, never to the log: this is the one time they are shown.
        site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
        width = max(len(username) for username, _, _ in passwords)
        role_width = max(len(role) for _, role, _ in passwords)
        self.stdout.write("")
        self.stdout.write(
            "Demo accounts. Copy the passwords now: they are not stored and will not be shown again."
        )
        self.stdout.write("")
        for username, role, password in passwords:
            self.stdout.write(f"  {username:<{width}}  {role:<{role_width}}  {password}")
        self.stdout.write("")
        self.stdout.write(
            f"Sign in at {site}/staff/ and set up two-step verification with an authenticator app.\n"
            "No phone to hand? `manage.py demo_totp USERNAME` prints a demo account's current code."
        )
