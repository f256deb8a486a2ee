"""Backups restore: `manage.py backup`, then `manage.py restore` into a new, empty database, finds every
concern, attachment and audit row, and the audit trail verifies (issue 10, item 3; decision 0027).

The restore runs as the operator runs it, in a process of its own pointed at a new database and new
folders; the restored database is then read directly.
"""

import hashlib
import importlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from safeguarding.audit.models import AuditEvent
from safeguarding.concerns.models import Concern, ConcernAttachment
from safeguarding.concerns.services import attachment_add, concern_submit
from safeguarding.core.backup import BackupError, backup_create, backup_restore, backup_verify
from safeguarding.core.crypto import key_generate
from safeguarding.core.file_crypto import file_decrypt_chunks
from tests.accounts.factories import UserFactory
from tests.concerns.conftest import answers, new_key

ROOT = Path(__file__).resolve().parents[2]
BACKUP_KEY = key_generate("backup-test")
CANARY = b"Canary attachment: Zephyrine Quillbrook's letter, line after line. " * 40
ATTACHMENT_PURPOSE = "concerns.concernattachment.file"
on_postgresql = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def backup_key(settings):
    settings.BACKUP_KEYS = [BACKUP_KEY]


@pytest.fixture
def default_teams_and_rules(transactional_db):
    """Transactional tests that ran earlier empty every table, the migration's default rules too."""
    migration = importlib.import_module("safeguarding.concerns.migrations.0002_default_teams_and_rules")
    migration.create_defaults(apps, None)


@pytest.fixture
def fresh_target(tmp_path):
    """A new, empty database (of the vendor the tests run on) and empty folders to restore into;
    the environment a restore process needs for them; and a way to query the restored database."""
    name = f"restore_{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TOOLKIT_BACKUP_KEY": BACKUP_KEY,
        "PRIVATE_FILES_ROOT": str(tmp_path / "restored-private"),
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
    }
    db = connection.settings_dict
    if on_postgresql:
        admin = psycopg.connect(
            dbname="postgres",
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"],
            autocommit=True,
        )
        admin.execute(f'CREATE DATABASE "{name}"')
        auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
        env["DATABASE_URL"] = f"postgres://{auth}{db['HOST']}:{db['PORT'] or 5432}/{name}"

        def query(sql):
            with psycopg.connect(env["DATABASE_URL"]) as restored:
                return restored.execute(sql).fetchall()
    else:
        path = tmp_path / f"{name}.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"

        def query(sql):
            with sqlite3.connect(path) as restored:
                return restored.execute(sql).fetchall()

    yield env, query, tmp_path
    if on_postgresql:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _manage(env, *args):
    return subprocess.run(  # noqa: S603  (this interpreter, manage.py, fixed arguments)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _submit_with_attachment(worker, content: bytes) -> Concern:
    result = concern_submit(answers=answers(), source="public", idempotency_key=new_key())
    concern = Concern.objects.get(reference=result.reference)
    attachment_add(concern=concern, file=io.BytesIO(content), name="letter.txt", by=worker)
    return concern


def _restored_attachments(query, private_root: Path) -> dict[str, bytes]:
    """Each restored concern's reference, with its attachment decrypted from the restored folder."""
    concerns = Concern._meta.db_table
    attachments = ConcernAttachment._meta.db_table
    found = {}
    for reference, name, sha in query(
        f"SELECT c.reference, a.file, a.sha256 FROM {concerns} c JOIN {attachments} a ON a.concern_id = c.id"  # noqa: S608
    ):
        with (private_root / name).open("rb") as handle:
            content = b"".join(file_decrypt_chunks(handle, purpose=ATTACHMENT_PURPOSE))
        assert hashlib.sha256(content).hexdigest() == sha, f"{reference}'s attachment is not intact"
        found[reference] = content
    return found


@pytest.mark.usefixtures("default_teams_and_rules")
def test_a_backup_restores_into_a_new_database_with_attachments_and_a_verifying_audit_trail(fresh_target):
    env, query, tmp_path = fresh_target
    worker = UserFactory(triage_worker=True)
    concern = _submit_with_attachment(worker, CANARY)
    events = AuditEvent.objects.count()

    call_command("backup", "--into", str(tmp_path / "backups"), "--verify", stdout=io.StringIO())
    [made] = (tmp_path / "backups").iterdir()
    assert sorted(p.name for p in made.iterdir()) == [
        "database.enc",
        "files.enc",
        "manifest.hmac",
        "manifest.json",
    ]
    # Encrypted: neither the canary nor any table's contents can be read from the backup.
    for part in made.iterdir():
        assert b"Zephyrine" not in part.read_bytes()
    assert b"CREATE TABLE" not in (made / "database.enc").read_bytes()

    restored = _manage(env, "restore", str(made))
    assert restored.returncode == 0, restored.stderr
    assert "Audit trail intact" in restored.stdout

    assert _restored_attachments(query, tmp_path / "restored-private") == {concern.reference: CANARY}
    assert query(f"SELECT COUNT(*) FROM {AuditEvent._meta.db_table}")[0][0] == events  # noqa: S608
    verified = _manage(env, "audit_verify")
    assert verified.returncode == 0, verified.stderr
    assert f"{events} rows" in verified.stdout

    # A second restore into the now full database is refused, and changes nothing.
    again = _manage(env, "restore", str(made))
    assert again.returncode != 0
    assert "is not empty" in again.stderr
    assert query(f"SELECT COUNT(*) FROM {AuditEvent._meta.db_table}")[0][0] == events  # noqa: S608


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty_before_touching_it(tmp_path):
    UserFactory()
    made = backup_create(into=tmp_path)
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(made.path))
    assert AuditEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("part", ["database.enc", "files.enc"])
def test_a_part_altered_after_the_backup_is_refused_before_anything_is_restored(tmp_path, part):
    made = backup_create(into=tmp_path)
    stored = made.path / part
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 1
    stored.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="checksum"):
        backup_restore(path=made.path)


@pytest.mark.django_db
def test_a_manifest_altered_to_match_an_altered_part_is_refused(tmp_path):
    made = backup_create(into=tmp_path)
    stored = made.path / "files.enc"
    data = bytearray(stored.read_bytes())
    data[-5] ^= 1
    stored.write_bytes(bytes(data))
    manifest = json.loads((made.path / "manifest.json").read_text())
    manifest["parts"]["files.enc"]["sha256"] = hashlib.sha256(bytes(data)).hexdigest()
    (made.path / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    with pytest.raises(BackupError, match="manifest has been altered"):
        backup_verify(path=made.path)


@pytest.mark.django_db
def test_another_key_cannot_read_a_backup(tmp_path, settings):
    made = backup_create(into=tmp_path)
    settings.BACKUP_KEYS = [key_generate("backup-test")]  # the same id, another secret
    with pytest.raises(BackupError, match="altered, or belongs to another key"):
        backup_verify(path=made.path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ([], "TOOLKIT_BACKUP_KEY is not set"),
        (["b1:short"], "must be written as"),
        (["same:" + settings.FIELD_ENCRYPTION_KEYS[0].split(":", 1)[1]], "must not be one of the field keys"),
    ],
)
def test_no_backup_without_a_key_of_its_own(tmp_path, settings, keys, message):
    settings.BACKUP_KEYS = keys
    with pytest.raises(CommandError, match=message):
        call_command("backup", "--into", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("default_teams_and_rules")
def test_a_backup_taken_while_concerns_arrive_holds_every_one_acknowledged_before_it_started(fresh_target):
    env, query, tmp_path = fresh_target
    worker = UserFactory(triage_worker=True)
    acknowledged: list[tuple[float, str]] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def send(n: int) -> None:
        try:
            while not stop.is_set():
                concern = _submit_with_attachment(worker, CANARY + f" sender {n}".encode())
                acknowledged.append((time.monotonic(), concern.reference))
        except BaseException as error:  # noqa: BLE001  (reported by the test below)
            failures.append(error)
        finally:
            connection.close()

    senders = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for sender in senders:
        sender.start()
    while len(acknowledged) < 20 and not failures:
        time.sleep(0.05)
    started = time.monotonic()
    made = backup_create(into=tmp_path / "backups")
    time.sleep(0.3)  # concerns keep arriving after the backup too
    stop.set()
    for sender in senders:
        sender.join()
    assert not failures, failures
    before = {reference for at, reference in acknowledged if at < started}
    assert len(before) >= 20
    assert len(acknowledged) > len(before)  # some arrived while it ran, or after

    restored = _manage(env, "restore", str(made.path))
    assert restored.returncode == 0, restored.stderr
    assert "Audit trail intact" in restored.stdout
    found = _restored_attachments(query, tmp_path / "restored-private")
    assert before <= set(found)
    assert all(content.startswith(CANARY) for content in found.values())
    references = {row[0] for row in query(f"SELECT reference FROM {Concern._meta.db_table}")}  # noqa: S608
    assert before <= references
    # Each concern's creation, and its attachment's, is in the restored trail.
    created = query(
        f"SELECT COUNT(*) FROM {AuditEvent._meta.db_table} WHERE kind = 'created' "  # noqa: S608
        "AND target_type IN ('concerns.concern', 'concerns.concernattachment')"
    )[0][0]
    assert created >= 2 * len(before)
