"""Backups that restore: the database and the stored files, encrypted with the backup key, with a
manifest of checksums (docs/decisions/0027).

A backup is a folder `toolkit-backup-<UTC time>/` holding:
- `database.enc`: `pg_dump --format=custom` (PostgreSQL), or a copy made with SQLite's backup API;
- `files.enc`: a tar of the private files folder (concern attachments, evidence) and the media folder;
- `manifest.json`: what it holds, the SHA-256 of each part as stored and before encryption, the
  migrations it was taken at, and the ids (never the values) of the field keys its data needs;
- `manifest.hmac`: HMAC-SHA256 of manifest.json under a key derived from the backup key.

Each part is encrypted as attachments are (core.file_crypto: AES-256-GCM in STREAM chunks, a data key
for each part, bound to the backup's id and the part's name) but under TOOLKIT_BACKUP_KEY, never a
field key, so a backup and the keys that open its personal fields are kept apart. Nothing is written
to disk unencrypted: the dump is encrypted as pg_dump writes it.

The database is dumped first, then the files: a file is stored before the row that names it is
committed, so every file a dumped row names is in the backup. The folder is written as `<name>.partial`
and renamed only when whole.
"""

import contextlib
import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore: a fixed argument list, no shell  # nosec B404
import tarfile
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .crypto import DecryptionError, FieldKey, _b64decode, field_keys
from .file_crypto import CHUNK_BYTES, file_decrypt_chunks, file_encrypt

FORMAT = "toolkit-backup/1"
DATABASE_PART = "database.enc"
FILES_PART = "files.enc"
MANIFEST = "manifest.json"
MANIFEST_MAC = "manifest.hmac"
_KEY_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


class BackupError(Exception):
    """A backup or restore that cannot go ahead, and why, in words for the person running it."""


# --- Keys ------------------------------------------------------------------------------------------
def backup_keys() -> tuple[FieldKey, ...]:
    """The backup keys from TOOLKIT_BACKUP_KEY, the one for new backups first. Never a field key."""
    specs = [spec.strip() for spec in getattr(settings, "BACKUP_KEYS", []) or [] if spec.strip()]
    if not specs:
        raise BackupError(
            "TOOLKIT_BACKUP_KEY is not set. Make a key with `manage.py field_key_generate backup1`, keep it "
            "in the secret store apart from the backups, and set it in the environment."
        )
    keys = []
    for spec in specs:
        key_id, _, encoded = spec.partition(":")
        try:
            secret = _b64decode(encoded)
        except ValueError:
            secret = b""
        if not key_id or len(key_id) > 32 or set(key_id) - _KEY_ID_CHARS or len(secret) != 32:
            raise BackupError(
                "TOOLKIT_BACKUP_KEY must be written as <key-id>:<base64 of 32 bytes> "
                "(make one with `manage.py field_key_generate backup1`)."
            )
        keys.append(FieldKey(key_id, secret))
    field_secrets = {key.secret for key in field_keys()}
    if any(key.secret in field_secrets for key in keys):
        raise BackupError("TOOLKIT_BACKUP_KEY must not be one of the field keys: keep them apart.")
    return tuple(keys)


def _mac(manifest: bytes, keys: tuple[FieldKey, ...], key_id: str) -> str:
    key = next((k for k in keys if k.key_id == key_id), None)
    if key is None:
        raise BackupError(
            f"This backup was made with backup key {key_id!r}, which is not in TOOLKIT_BACKUP_KEY."
        )
    mac_key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"toolkit-backup-manifest|v1"
    ).derive(key.secret)
    return hmac.new(mac_key, manifest, hashlib.sha256).hexdigest()


def _purpose(backup_id: str, part: str) -> str:
    return f"backup|{backup_id}|{part}"


# --- Streams ---------------------------------------------------------------------------------------
class _Counted:
    """A read-only stream that hashes and counts what passes through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def seekable(self) -> bool:
        return False

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()


def _encrypt_part(
    source: IO[bytes], target: Path, *, purpose: str, keys: tuple[FieldKey, ...]
) -> dict[str, Any]:
    counted = _Counted(source)
    with target.open("wb") as out:
        file_encrypt(cast(IO[bytes], counted), out, purpose=purpose, keys=keys[:1])
    return {
        "plain_bytes": counted.size,
        "plain_sha256": counted.sha256.hexdigest(),
        "bytes": target.stat().st_size,
        "sha256": _file_sha256(target),
    }


def _decrypted(path: Path, *, purpose: str, keys: tuple[FieldKey, ...]) -> Iterator[bytes]:
    with path.open("rb") as handle:
        try:
            yield from file_decrypt_chunks(handle, purpose=purpose, keys=keys)
        except DecryptionError as error:
            raise BackupError(f"{path.name}: {error}") from error


def _file_roots() -> dict[str, Path]:
    """What goes into files.enc, by the name each folder has inside it."""
    return {"private": Path(settings.PRIVATE_FILES_ROOT), "media": Path(settings.MEDIA_ROOT)}


def _tar_files(out: IO[bytes]) -> None:
    with tarfile.open(fileobj=out, mode="w|") as tar:
        for name, root in _file_roots().items():
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                try:
                    if path.is_file() and not path.is_symlink():
                        tar.add(path, arcname=f"{name}/{path.relative_to(root).as_posix()}", recursive=False)
                except FileNotFoundError:
                    continue  # deleted while the backup ran: no row in the dump names it


def _through_pipe(write: Callable[[IO[bytes]], None], read: Callable[[IO[bytes]], Any]) -> Any:
    """Run `write` in a thread into a pipe that `read` consumes here; either's error is raised."""
    read_fd, write_fd = os.pipe()
    failure: list[BaseException] = []

    def writer() -> None:
        try:
            with open(write_fd, "wb") as out:
                write(out)
        except BrokenPipeError:
            pass  # the reader stopped first, and says why
        except BaseException as error:  # noqa: BLE001  (handed to the caller below, raised there)
            failure.append(error)

    thread = threading.Thread(target=writer, name="backup-pipe", daemon=True)
    thread.start()
    try:
        with open(read_fd, "rb") as source:
            result = read(source)
    finally:
        thread.join()
    if failure:
        raise failure[0]
    return result


# --- Taking a backup -------------------------------------------------------------------------------
@dataclass(frozen=True)
class BackupMade:
    path: Path
    manifest: dict[str, Any]


def _database_settings() -> dict[str, Any]:
    return connection.settings_dict


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    for variable, setting in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if db.get(setting):
            env[variable] = str(db[setting])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client tools (Debian: postgresql-client)."
        )
    return found


def _dump_postgresql(target: Path, *, purpose: str, keys: tuple[FieldKey, ...]) -> dict[str, Any]:
    db = _database_settings()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603  (a fixed argument list, no shell)  # nosec B603
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"],
            stdout=subprocess.PIPE,
            stderr=errors,
            env=_pg_env(db),
        )
        if process.stdout is None:  # not with stdout=PIPE; said so for the type checker
            raise BackupError("pg_dump gave no output.")
        try:
            part = _encrypt_part(process.stdout, target, purpose=purpose, keys=keys)
        finally:
            process.stdout.close()
            code = process.wait()
        if code != 0:
            errors.seek(0)
            raise BackupError(
                f"pg_dump failed ({code}): {errors.read().decode(errors='replace').strip()[:500]}"
            )
    return part


def _dump_sqlite(target: Path, *, purpose: str, keys: tuple[FieldKey, ...]) -> dict[str, Any]:
    # SQLite's online backup API copies a consistent snapshot while others write; into memory, so the
    # database never lies on disk unencrypted.
    source = sqlite3.connect(str(_database_settings()["NAME"]))
    memory = sqlite3.connect(":memory:")
    try:
        source.backup(memory)
        data = _rollback_journal(memory.serialize())
    finally:
        source.close()
        memory.close()
    return _encrypt_part(io.BytesIO(data), target, purpose=purpose, keys=keys)


def _rollback_journal(data: bytes) -> bytes:
    """The copy marked as using a rollback journal (header bytes 18 and 19), not WAL: an image marked
    WAL cannot be opened in memory. The restored database turns WAL back on when Django opens it."""
    if len(data) >= 20 and data[:16] == b"SQLite format 3\x00":
        return data[:18] + b"\x01\x01" + data[20:]
    return data


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in (
        MigrationRecorder(connection).migration_qs.order_by("app", "name").values_list("app", "name")
    ):
        latest[app] = name
    return latest


def backup_create(*, into: Path) -> BackupMade:
    """Take a backup into a new folder under `into`; BackupError says why one cannot be taken."""
    keys = backup_keys()
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    started = timezone.now()
    backup_id = str(uuid.uuid4())
    name = f"toolkit-backup-{started:%Y%m%dT%H%M%SZ}-{backup_id[:8]}"
    into.mkdir(parents=True, exist_ok=True)
    partial = into / f"{name}.partial"
    partial.mkdir(mode=0o700)
    try:
        dump = _dump_postgresql if vendor == "postgresql" else _dump_sqlite
        database = dump(partial / DATABASE_PART, purpose=_purpose(backup_id, DATABASE_PART), keys=keys)
        database_done = timezone.now()
        files = _through_pipe(
            _tar_files,
            lambda source: _encrypt_part(
                source, partial / FILES_PART, purpose=_purpose(backup_id, FILES_PART), keys=keys
            ),
        )
        manifest = {
            "format": FORMAT,
            "backup_id": backup_id,
            "started_at": started.isoformat(),
            "database_snapshot_by": database_done.isoformat(),
            "finished_at": timezone.now().isoformat(),
            "database": {
                "vendor": vendor,
                "format": "pg_dump custom" if vendor == "postgresql" else "sqlite3 database",
            },
            "migrations": _migrations(),
            "field_key_ids": [key.key_id for key in field_keys()],
            "backup_key_id": keys[0].key_id,
            "parts": {DATABASE_PART: database, FILES_PART: files},
        }
        body = json.dumps(manifest, indent=2, sort_keys=True).encode()
        (partial / MANIFEST).write_bytes(body)
        (partial / MANIFEST_MAC).write_text(_mac(body, keys, keys[0].key_id) + "\n")
        final = into / name
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BackupMade(final, manifest)


# --- Checking and restoring ------------------------------------------------------------------------
def backup_verify(*, path: Path) -> dict[str, Any]:
    """Check a backup whole before anything is restored from it: the manifest's MAC under the backup
    key, each part's checksum as stored, and each part decrypted and checked against its checksum."""
    keys = backup_keys()
    try:
        body = (path / MANIFEST).read_bytes()
        stated_mac = (path / MANIFEST_MAC).read_text().strip()
        manifest = json.loads(body)
    except FileNotFoundError as missing:
        raise BackupError(
            f"{path} is not a whole backup: {Path(str(missing.filename)).name} is missing."
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{path}: the manifest is damaged.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: not a backup this toolkit can read (format {FORMAT} expected).")
    if not hmac.compare_digest(_mac(body, keys, str(manifest.get("backup_key_id"))), stated_mac):
        raise BackupError(f"{path}: the manifest has been altered, or belongs to another key.")
    for part in (DATABASE_PART, FILES_PART):
        expected = manifest["parts"][part]
        stored = path / part
        if not stored.is_file() or _file_sha256(stored) != expected["sha256"]:
            raise BackupError(f"{path}: {part} is missing or does not match its checksum.")
        digest, size = hashlib.sha256(), 0
        for chunk in _decrypted(stored, purpose=_purpose(manifest["backup_id"], part), keys=keys):
            digest.update(chunk)
            size += len(chunk)
        if digest.hexdigest() != expected["plain_sha256"] or size != expected["plain_bytes"]:
            raise BackupError(f"{path}: {part} decrypts, but not to what was backed up.")
    return cast(dict[str, Any], manifest)


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    files: int


def _refuse_unless_empty(manifest: dict[str, Any]) -> None:
    if manifest["database"]["vendor"] != connection.vendor:
        raise BackupError(
            f"This is a {manifest['database']['vendor']} backup; "
            f"the database configured is {connection.vendor}."
        )
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database {_database_settings()['NAME']} is not empty ({len(tables)} tables). "
            "Restore only into a new, empty database, so nothing is overwritten or mixed."
        )
    for root in _file_roots().values():
        if root.is_dir() and any(root.iterdir()):
            raise BackupError(f"{root} is not empty. Restore the files only into empty folders.")


def _restore_postgresql(part: Path, *, purpose: str, keys: tuple[FieldKey, ...]) -> None:
    db = _database_settings()
    connection.close()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603  (a fixed argument list, no shell)  # nosec B603
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                str(db["NAME"]),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=_pg_env(db),
        )
        if process.stdin is None:  # not with stdin=PIPE; said so for the type checker
            raise BackupError("pg_restore took no input.")
        try:
            for chunk in _decrypted(part, purpose=purpose, keys=keys):
                process.stdin.write(chunk)
        except BrokenPipeError:
            pass  # pg_restore stopped: its exit code and message say why
        except BaseException:
            process.kill()  # before its input ends, so its single transaction never commits
            process.wait()
            raise
        finally:
            if not process.stdin.closed:
                with contextlib.suppress(BrokenPipeError):
                    process.stdin.close()
        code = process.wait()
        if code != 0:
            errors.seek(0)
            raise BackupError(
                f"pg_restore failed ({code}); nothing was restored: "
                f"{errors.read().decode(errors='replace')[:500]}"
            )


def _restore_sqlite(part: Path, *, purpose: str, keys: tuple[FieldKey, ...]) -> None:
    data = _rollback_journal(b"".join(_decrypted(part, purpose=purpose, keys=keys)))
    target_name = str(_database_settings()["NAME"])
    connection.close()
    memory = sqlite3.connect(":memory:")
    target = sqlite3.connect(target_name)
    try:
        memory.deserialize(data)
        memory.backup(target)
    finally:
        memory.close()
        target.close()


def _untar_files(source: IO[bytes]) -> int:
    roots = _file_roots()
    count = 0
    with tarfile.open(fileobj=source, mode="r|") as tar:
        for member in tar:
            top, _, rest = member.name.partition("/")
            if top not in roots or not rest or not member.isfile():
                raise BackupError(f"files.enc holds an unexpected entry: {member.name!r}")
            member.name = rest
            roots[top].mkdir(parents=True, exist_ok=True)
            # The "data" filter refuses absolute paths, "..", links out of the folder and special files.
            tar.extract(member, path=roots[top], filter="data")
            count += 1
    while source.read(CHUNK_BYTES):
        pass  # the tar's end padding, so the writer is never left blocked
    return count


def backup_restore(*, path: Path) -> Restored:
    """Restore the backup at `path` into the configured database, which must be empty, and the file
    folders, which must be empty; everything is checked first (backup_verify)."""
    manifest = backup_verify(path=path)
    _refuse_unless_empty(manifest)
    keys = backup_keys()
    backup_id = manifest["backup_id"]
    restore = _restore_postgresql if connection.vendor == "postgresql" else _restore_sqlite
    restore(path / DATABASE_PART, purpose=_purpose(backup_id, DATABASE_PART), keys=keys)

    def write_plain(out: IO[bytes]) -> None:
        for chunk in _decrypted(path / FILES_PART, purpose=_purpose(backup_id, FILES_PART), keys=keys):
            out.write(chunk)

    files = int(_through_pipe(write_plain, _untar_files))
    return Restored(manifest, files)
