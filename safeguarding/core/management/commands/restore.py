"""`manage.py restore FOLDER`: restore a backup into an empty database and empty file folders, after
checking it whole, then check the audit trail (safeguarding/core/backup.py, docs/decisions/0027)."""

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.core.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database (refuses any other)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="The backup folder (toolkit-backup-...).")
        parser.add_argument(
            "--check-only", action="store_true", help="Only check the backup whole; restore nothing."
        )

    def handle(self, *args: Any, backup: str, check_only: bool, **options: Any) -> None:
        try:
            if check_only:
                manifest = backup_verify(path=Path(backup))
                self.stdout.write(f"Backup {manifest['backup_id']} is whole: every checksum matches.")
                return
            restored = backup_restore(path=Path(backup))
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = restored.manifest
        self.stdout.write(
            f"Restored backup {manifest['backup_id']} taken at {manifest['started_at']}: the database and "
            f"{restored.files} files."
        )
        # The audit app sits above core, so it is called by its command's name, not imported.
        call_command("audit_verify", stdout=self.stdout)
        self.stdout.write(
            "Next: set the field keys " + ", ".join(manifest["field_key_ids"]) + " and the blind index key, "
            "then run `manage.py migrate` (a no-op unless the code is newer than the backup)."
        )
