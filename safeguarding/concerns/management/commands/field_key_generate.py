"""`manage.py field_key_generate KEY_ID`: print a new field encryption key to put in the environment.

The key is printed once, to standard output only, for TOOLKIT_FIELD_KEYS (or, with --blind-index,
for TOOLKIT_BLIND_INDEX_KEY). It is not stored anywhere by this command.
"""

import base64
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.core.crypto import KEY_BYTES, key_generate


class Command(BaseCommand):
    help = "Print a new random key for field encryption (or for the blind index)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("key_id", nargs="?", default="k1", help="A short id, for example k2 or 2026-11.")
        parser.add_argument("--blind-index", action="store_true", help="Make a blind index key instead.")

    def handle(self, *args: Any, key_id: str, blind_index: bool, **options: Any) -> None:
        if blind_index:
            self.stdout.write(base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode().rstrip("="))
            return
        try:
            self.stdout.write(key_generate(key_id))
        except ValueError as error:
            raise CommandError(str(error)) from error
