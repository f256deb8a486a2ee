"""`manage.py backup --into FOLDER`: an encrypted backup of the database and the stored files, with a
manifest of checksums (safeguarding/core/backup.py, docs/decisions/0027)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.core.backup import BackupError, backup_create, backup_verify


class Command(BaseCommand):
    help = "Back up the database and the stored files, encrypted with TOOLKIT_BACKUP_KEY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--into", required=True, help="The folder to write the backup folder into.")
        parser.add_argument(
            "--verify", action="store_true", help="Then read the backup back whole and check every checksum."
        )

    def handle(self, *args: Any, into: str, verify: bool, **options: Any) -> None:
        try:
            made = backup_create(into=Path(into))
            if verify:
                backup_verify(path=made.path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        parts = made.manifest["parts"]
        self.stdout.write(f"Backup written to {made.path}")
        for name, part in parts.items():
            self.stdout.write(f"  {name}: {part['bytes']} bytes, sha256 {part['sha256']}")
        if verify:
            self.stdout.write("Checked: the manifest, and every part decrypted against its checksum.")
        self.stdout.write(
            "It needs TOOLKIT_BACKUP_KEY to restore, and the field keys "
            f"{', '.join(made.manifest['field_key_ids'])} to read what it holds: keep them apart from it."
        )
