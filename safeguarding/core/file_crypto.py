"""Files encrypted at rest with the field keys (docs/decisions/0025), streamed, a key for each file.

A file gets a fresh random 256-bit data key. The data key is sealed with the current field key (AES-GCM,
bound to the key id and the file's purpose) into the file's header, so rotating the field keys rewrites
only the header (`file_rewrap`), never the content. The content is AES-256-GCM in 64 KiB chunks under
the STREAM construction (Hoang, Reyhanitabar, Rogaway and Vizár, 2015): each chunk's nonce is a random
prefix for the file, the chunk's number and a flag for the last chunk, so chunks cannot be reordered,
dropped, repeated or the file cut short without the decryption failing. Memory use is one chunk.

Layout: b"SGPF1\\n", key id, b"\\n", sealed data key (12-byte nonce + 32 + 16), 7-byte nonce prefix,
then each chunk's ciphertext (64 KiB + 16; the last one shorter or equal).
"""

import os
from collections.abc import Iterator
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .crypto import DecryptionError, FieldKey, field_keys

MAGIC = b"SGPF1\n"
CHUNK_BYTES = 64 * 1024
_TAG = 16
_NONCE = 12
_PREFIX = 7
_SEALED_KEY = _NONCE + 32 + _TAG


def _key_aad(key_id: str, purpose: str) -> bytes:
    return f"file-key|v1|{key_id}|{purpose}".encode()


def _chunk_nonce(prefix: bytes, index: int, last: bool) -> bytes:
    if index >= 2**32:
        raise ValueError("The file is too large to encrypt.")
    return prefix + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _header(key: FieldKey, data_key: bytes, purpose: str) -> bytes:
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(key.secret).encrypt(nonce, data_key, _key_aad(key.key_id, purpose))
    return MAGIC + key.key_id.encode("ascii") + b"\n" + nonce + sealed


def is_encrypted(handle: IO[bytes]) -> bool:
    """Whether the file starts as one of ours (the position is left at the start)."""
    handle.seek(0)
    start = handle.read(len(MAGIC))
    handle.seek(0)
    return start == MAGIC


def _read_header(
    handle: IO[bytes], purpose: str, keys: tuple[FieldKey, ...] | None = None
) -> tuple[str, bytes, bytes]:
    """(key id, data key, nonce prefix); the handle is left at the first chunk."""
    if handle.read(len(MAGIC)) != MAGIC:
        raise DecryptionError("The stored file is not encrypted by this toolkit.")
    key_id = b""
    while (byte := handle.read(1)) not in (b"\n", b""):
        key_id += byte
        if len(key_id) > 32:
            raise DecryptionError("The stored file is damaged.")
    sealed = handle.read(_SEALED_KEY)
    prefix = handle.read(_PREFIX)
    if len(sealed) != _SEALED_KEY or len(prefix) != _PREFIX:
        raise DecryptionError("The stored file is damaged.")
    name = key_id.decode("ascii", "replace")
    key = next((k for k in (keys or field_keys()) if k.key_id == name), None)
    if key is None:
        raise DecryptionError(f"The stored file was sealed with key {name!r}, which is not configured.")
    try:
        data_key = AESGCM(key.secret).decrypt(sealed[:_NONCE], sealed[_NONCE:], _key_aad(name, purpose))
    except InvalidTag as error:
        raise DecryptionError("The stored file's key failed its integrity check.") from error
    return name, data_key, prefix


def file_key_id(handle: IO[bytes]) -> str | None:
    """The id of the field key that sealed the file's data key, or None if it is not ours."""
    handle.seek(0)
    if handle.read(len(MAGIC)) != MAGIC:
        handle.seek(0)
        return None
    key_id = handle.readline(40).rstrip(b"\n").decode("ascii", "replace")
    handle.seek(0)
    return key_id


def file_encrypt(
    source: IO[bytes], target: IO[bytes], *, purpose: str, keys: tuple[FieldKey, ...] | None = None
) -> None:
    """Write `source` (read from its start, or as it comes from a pipe) to `target`, encrypted under
    the current field key, or the first of `keys` (the backup key, core.backup)."""
    data_key = AESGCM.generate_key(bit_length=256)
    prefix = os.urandom(_PREFIX)
    target.write(_header((keys or field_keys())[0], data_key, purpose) + prefix)
    cipher = AESGCM(data_key)
    aad = prefix + purpose.encode()
    if source.seekable():
        source.seek(0)
    chunk = source.read(CHUNK_BYTES)
    index = 0
    while True:
        following = source.read(CHUNK_BYTES)
        last = not following
        target.write(cipher.encrypt(_chunk_nonce(prefix, index, last), chunk, aad))
        if last:
            return
        chunk, index = following, index + 1


def file_decrypt_chunks(
    source: IO[bytes], *, purpose: str, keys: tuple[FieldKey, ...] | None = None
) -> Iterator[bytes]:
    """The plaintext of an encrypted file, chunk by chunk. DecryptionError if anything was altered,
    reordered or cut; nothing of a chunk is given before it has been checked."""
    source.seek(0)
    _key_id, data_key, prefix = _read_header(source, purpose, keys)
    cipher = AESGCM(data_key)
    aad = prefix + purpose.encode()
    size = CHUNK_BYTES + _TAG
    chunk = source.read(size)
    index = 0
    while True:
        following = source.read(size)
        last = not following
        try:
            yield cipher.decrypt(_chunk_nonce(prefix, index, last), chunk, aad)
        except InvalidTag as error:
            raise DecryptionError("The stored file failed its integrity check.") from error
        if last:
            return
        chunk, index = following, index + 1


def file_rewrap(source: IO[bytes], target: IO[bytes], *, purpose: str) -> None:
    """Write `source` to `target` with its data key sealed under the current field key instead; the
    encrypted content is copied as it is (rotating keys never decrypts the content)."""
    source.seek(0)
    _key_id, data_key, prefix = _read_header(source, purpose)
    target.write(_header(field_keys()[0], data_key, purpose) + prefix)
    while block := source.read(CHUNK_BYTES):
        target.write(block)
