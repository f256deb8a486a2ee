"""`manage.py rotate_field_keys`: re-encrypt every encrypted field, and re-seal every attachment's file
key, under the current key (attachments stored before files were encrypted are encrypted now).

To rotate: put a new key first in the key list (older keys after it), deploy, run this command,
then remove the old keys. Safe to run again at any time: values already under the current key are
left alone. Reports counts only, never values.
"""

import tempfile
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models.functions import Cast

from safeguarding.core.crypto import (
    DecryptionError,
    EncryptedTextField,
    current_key_id,
    decrypt_text,
    encrypted_fields,
    token_key_id,
)
from safeguarding.core.file_crypto import file_encrypt, file_key_id, file_rewrap

from ...models import ConcernAttachment
from ...services.triage import ATTACHMENT_PURPOSE


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field still sealed with an older key, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        current = current_key_id()
        total_rows = total_values = failures = 0
        for model, fields in encrypted_fields():
            rows, values, failed = self._rotate_model(model, fields, current, batch_size)
            total_rows += rows
            total_values += values
            failures += failed
            self.stdout.write(f"{model._meta.label}: {rows} rows re-encrypted ({values} values).")
        files, file_failures = self._rotate_attachments(current)
        failures += file_failures
        self.stdout.write(f"Attachments: {files} files re-sealed or encrypted.")
        self.stdout.write(
            f"Done: {total_rows} rows and {total_values} values now under key {current!r}; "
            f"{failures} unreadable."
        )
        if failures:
            raise CommandError(
                f"{failures} values could not be decrypted with any configured key and were left unchanged."
            )

    def _rotate_attachments(self, current: str) -> tuple[int, int]:
        """Each attachment's file under the current key: its data key re-sealed (the content is never
        decrypted), or, for a file stored before attachments were encrypted, encrypted now."""
        done = failed = 0
        for attachment in ConcernAttachment.objects.order_by("pk").iterator():
            storage, name = attachment.file.storage, attachment.file.name or ""
            with storage.open(name, "rb") as stored:
                key_id = file_key_id(stored)
                if key_id == current:
                    continue
                with tempfile.SpooledTemporaryFile(max_size=2 * 1024 * 1024) as rewritten:
                    try:
                        if key_id is None:
                            file_encrypt(stored, rewritten, purpose=ATTACHMENT_PURPOSE)
                        else:
                            file_rewrap(stored, rewritten, purpose=ATTACHMENT_PURPOSE)
                    except DecryptionError:
                        failed += 1
                        continue
                    rewritten.seek(0)
                    new_name = storage.save(name, File(rewritten))
            with transaction.atomic():
                ConcernAttachment.objects.filter(pk=attachment.pk).update(file=new_name)
            storage.delete(name)
            done += 1
        return done, failed

    def _rotate_model(
        self, model: type[models.Model], fields: list[EncryptedTextField], current: str, batch_size: int
    ) -> tuple[int, int, int]:
        # Read the stored tokens as they are (cast to plain text, so they are not decrypted on load).
        raw_names = {f"_token_{field.name}": field for field in fields}
        annotations = {alias: Cast(field.name, models.TextField()) for alias, field in raw_names.items()}
        rows = values = failed = 0
        last_pk = None
        while True:
            queryset = model._base_manager.order_by("pk")
            if last_pk is not None:
                queryset = queryset.filter(pk__gt=last_pk)
            batch = list(queryset.annotate(**annotations).values("pk", *raw_names)[:batch_size])
            if not batch:
                return rows, values, failed
            last_pk = batch[-1]["pk"]
            with transaction.atomic():
                for row in batch:
                    updates = {}
                    for alias, field in raw_names.items():
                        token = row[alias]
                        if token is None or token_key_id(token) == current:
                            continue
                        try:
                            updates[field.name] = decrypt_text(token, purpose=field.purpose)
                        except DecryptionError:
                            failed += 1
                    if updates:
                        # update() seals each value again, under the current key.
                        model._base_manager.filter(pk=row["pk"]).update(**updates)
                        rows += 1
                        values += len(updates)
