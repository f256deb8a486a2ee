"""Files encrypted at rest: streamed in chunks, a key for each file sealed by the field keys, and any
alteration, reordering or cutting refused."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguarding.core.crypto import DecryptionError, key_generate
from safeguarding.core.file_crypto import (
    CHUNK_BYTES,
    MAGIC,
    file_decrypt_chunks,
    file_encrypt,
    file_key_id,
    file_rewrap,
    is_encrypted,
)

PURPOSE = "tests.file"


def _encrypt(data: bytes, purpose: str = PURPOSE) -> bytes:
    out = io.BytesIO()
    file_encrypt(io.BytesIO(data), out, purpose=purpose)
    return out.getvalue()


def _decrypt(sealed: bytes, purpose: str = PURPOSE) -> bytes:
    return b"".join(file_decrypt_chunks(io.BytesIO(sealed), purpose=purpose))


@settings(max_examples=40, deadline=None)
@given(
    size=st.sampled_from([0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES]),
    seed=st.binary(max_size=64),
)
def test_any_file_comes_back_exactly(size, seed):
    data = (seed or b"x") * (size // max(1, len(seed or b"x")) + 1)
    data = data[:size]
    sealed = _encrypt(data)
    assert sealed.startswith(MAGIC)
    assert _decrypt(sealed) == data


def test_the_content_is_nowhere_in_the_stored_bytes_and_each_file_has_its_own_key():
    canary = b"Canary attachment: Zephyrine Quillbrook at Larkspur Lodge " * 100
    first, second = _encrypt(canary), _encrypt(canary)
    assert b"Zephyrine" not in first
    assert first[-200:] != second[-200:]


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # a flipped bit in the last chunk
        lambda b: b[: len(b) - (CHUNK_BYTES + 16)],  # the last chunk cut off at a boundary
        lambda b: b[:-5],  # cut mid-chunk
        lambda b: b + b"\x00" * 16,  # something appended
    ],
)
def test_altered_or_cut_files_are_refused(damage):
    sealed = _encrypt(b"A" * (2 * CHUNK_BYTES + 100))
    with pytest.raises(DecryptionError):
        _decrypt(damage(sealed))


def test_chunks_cannot_be_swapped():
    sealed = _encrypt(b"A" * CHUNK_BYTES + b"B" * CHUNK_BYTES + b"C")
    header = len(sealed) - (2 * (CHUNK_BYTES + 16) + 17)
    body = sealed[header:]
    first, second, rest = (
        body[: CHUNK_BYTES + 16],
        body[CHUNK_BYTES + 16 : 2 * (CHUNK_BYTES + 16)],
        body[2 * (CHUNK_BYTES + 16) :],
    )
    with pytest.raises(DecryptionError):
        _decrypt(sealed[:header] + second + first + rest)


def test_a_file_sealed_for_one_purpose_does_not_open_for_another():
    with pytest.raises(DecryptionError):
        _decrypt(_encrypt(b"data"), purpose="tests.other")


def test_rewrapping_puts_the_file_key_under_the_new_field_key_without_touching_the_content(settings):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    sealed = _encrypt(b"content " * 1000)
    assert file_key_id(io.BytesIO(sealed)) == "test1"
    settings.FIELD_ENCRYPTION_KEYS = [key_generate("test2"), old]
    out = io.BytesIO()
    file_rewrap(io.BytesIO(sealed), out, purpose=PURPOSE)
    assert file_key_id(out) == "test2"
    assert out.getvalue()[-1000:] == sealed[-1000:]  # the encrypted content is copied as it is
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    assert _decrypt(out.getvalue()) == b"content " * 1000
    with pytest.raises(DecryptionError):
        _decrypt(sealed)  # the old key is gone


def test_a_plain_file_is_not_taken_for_an_encrypted_one():
    assert not is_encrypted(io.BytesIO(b"%PDF-1.4 plain"))
    assert file_key_id(io.BytesIO(b"%PDF-1.4 plain")) is None
