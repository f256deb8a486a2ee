"""`manage.py api_token_create --agency SLUG --name "..."`: make an agency API token and print it once.

The token is written to standard output only, once; the database keeps a keyed hash of it. Give it
to the agency's system over a secure channel. The creation is written to the audit trail.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.accounts.tokens import api_token_create
from safeguarding.partnership.models import Agency


class Command(BaseCommand):
    help = "Make an API token for an agency's system to send concerns, and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="The agency's slug, for example police.")
        parser.add_argument("--name", required=True, help="The system that will use it. No personal names.")

    def handle(self, *args: Any, agency: str, name: str, **options: Any) -> None:
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"No agency has the slug {agency!r}. See the agencies in the admin.")
        try:
            created = api_token_create(agency=found, name=name)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(
            f"Token {created.token.prefix} made for {found.name}. It is shown once, below: "
            "copy it now. It cannot be shown again, only revoked (api_token_revoke) and replaced."
        )
        self.stdout.write(created.secret)
