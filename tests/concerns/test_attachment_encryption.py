"""Concern attachments encrypted at rest (issue 10, finding 3): a canary written into an attachment is
absent from every stored file and from the database, and the attachment still downloads intact after
`rotate_field_keys`."""

import io
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from safeguarding.concerns import services
from safeguarding.concerns.models import ConcernAttachment
from safeguarding.core.crypto import key_generate
from tests.accounts.factories import UserFactory
from tests.concerns.conftest import database_text
from tests.concerns.factories import ConcernFactory

pytestmark = pytest.mark.django_db

CANARY = b"Canary in an attachment: Zephyrine Quillbrook, 14 Canary Wharfside Row"


def _stored_bytes() -> bytes:
    root = Path(django_settings.PRIVATE_FILES_ROOT)
    return b"".join(path.read_bytes() for path in root.rglob("*") if path.is_file())


def _read(attachment, by) -> bytes:
    with services.attachment_open(attachment=attachment, by=by) as handle:
        return handle.read()


def test_the_canary_is_in_no_stored_file_and_nowhere_in_the_database():
    worker = UserFactory(triage_worker=True)
    concern = ConcernFactory()
    attachment = services.attachment_add(
        concern=concern, file=io.BytesIO(CANARY * 50), name="notes.txt", by=worker
    )
    assert b"Zephyrine" not in _stored_bytes()
    assert "Zephyrine" not in database_text()
    assert _read(attachment, worker) == CANARY * 50


def test_attachments_download_intact_after_the_keys_are_rotated(settings):
    worker = UserFactory(triage_worker=True)
    attachment = services.attachment_add(
        concern=ConcernFactory(), file=io.BytesIO(CANARY), name="notes.txt", by=worker
    )
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [key_generate("test2"), old_key]
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "Attachments: 1 files re-sealed or encrypted." in out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # the old key gone
    attachment.refresh_from_db()
    assert _read(attachment, worker) == CANARY
    assert b"Zephyrine" not in _stored_bytes()


def test_a_file_stored_before_encryption_still_downloads_and_is_encrypted_by_rotation():
    worker = UserFactory(triage_worker=True)
    attachment = services.attachment_add(
        concern=ConcernFactory(), file=io.BytesIO(CANARY), name="notes.txt", by=worker
    )
    # As a deployment from before this change holds it: the plain file.
    storage = attachment.file.storage
    storage.delete(attachment.file.name)
    storage.save(attachment.file.name, io.BytesIO(CANARY))
    assert b"Zephyrine" in _stored_bytes()
    assert _read(attachment, worker) == CANARY
    call_command("rotate_field_keys", stdout=StringIO())
    attachment = ConcernAttachment.objects.get(pk=attachment.pk)
    assert b"Zephyrine" not in _stored_bytes()
    assert _read(attachment, worker) == CANARY
