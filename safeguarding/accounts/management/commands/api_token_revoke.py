"""`manage.py api_token_revoke PREFIX`: stop an agency API token working, at once. Audited."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.accounts.models import AgencyApiToken
from safeguarding.accounts.tokens import api_token_revoke


class Command(BaseCommand):
    help = "Revoke an agency API token, named by its public prefix."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix", help="The token's prefix: the 8 characters after sgpt_.")

    def handle(self, *args: Any, prefix: str, **options: Any) -> None:
        token = AgencyApiToken.objects.select_related("agency").filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"No token has the prefix {prefix!r}.")
        if api_token_revoke(token=token):
            self.stdout.write(f"Revoked token {token.prefix} of {token.agency.name}.")
        else:
            self.stdout.write(f"Token {token.prefix} was already revoked.")
