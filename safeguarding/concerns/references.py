"""Concern references ("C-2026-000123") and receipt codes.

References count up within each year and are safe under concurrent submissions on PostgreSQL (the
counter row is locked until the submission commits) and SQLite (writes are serialised). A reference
is not a secret: following up on a concern also needs its receipt code.

Receipt codes are 16 characters of Crockford's base32 (80 random bits) in four groups of four. They
are shown once and stored only as a keyed hash. When read back, letters easily confused are mapped:
O to 0, I and L to 1; spaces, hyphens and case do not matter.
"""

import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F

from safeguarding.core.crypto import blind_index, blind_index_matches

from .models import ConcernReferenceCounter

RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O or U
RECEIPT_LENGTH = 16
RECEIPT_PURPOSE = "concerns.concern.receipt_code"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def concern_reference_next(*, year: int) -> str:
    """The next reference for `year`. Call inside the submission's transaction."""
    with transaction.atomic():
        # Make the year's row if it is missing, without failing when another submission races us.
        ConcernReferenceCounter.objects.bulk_create(
            [ConcernReferenceCounter(year=year)], ignore_conflicts=True
        )
        counter = ConcernReferenceCounter.objects.select_for_update().get(year=year)
        ConcernReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
        number = counter.last + 1
    return f"{settings.CONCERN_REFERENCE_PREFIX}-{year}-{number:06d}"


def reference_normalise(text: str) -> str:
    """A reference as typed ("c 2026 123", "C-2026-000123 ") in its stored form, or "" if not one."""
    parts = [p for p in "".join(ch if ch.isalnum() else " " for ch in text.upper()).split() if p]
    prefix = settings.CONCERN_REFERENCE_PREFIX.upper()
    if len(parts) == 2 and parts[0].startswith(prefix) and parts[0][len(prefix) :].isdigit():
        parts = [prefix, parts[0][len(prefix) :], parts[1]]  # "C2026-123"
    if len(parts) != 3 or parts[0] != prefix or not (parts[1].isdigit() and parts[2].isdigit()):
        return ""
    if len(parts[1]) != 4 or len(parts[2]) > 12:
        return ""
    return f"{settings.CONCERN_REFERENCE_PREFIX}-{parts[1]}-{int(parts[2]):06d}"


def receipt_code_generate() -> str:
    """A new receipt code, grouped for reading: "7KQ2-M9XD-4HTP-0VBN"."""
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def receipt_code_normalise(text: str) -> str:
    """A receipt code as typed, in canonical form (16 characters, no separators), or "" if not one."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t").translate(_CONFUSABLE)
    if len(cleaned) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in cleaned):
        return ""
    return cleaned


def receipt_code_hash(code: str) -> str:
    return blind_index(receipt_code_normalise(code) or code, purpose=RECEIPT_PURPOSE)


def receipt_code_matches(code: str, stored_hash: str) -> bool:
    """Whether a typed code matches the stored hash; constant time, whatever was typed."""
    normalised = receipt_code_normalise(code)
    # Compare even for malformed input, so timing does not tell a malformed code from a wrong one.
    matched = blind_index_matches(normalised or "-", stored_hash, purpose=RECEIPT_PURPOSE)
    return bool(normalised) and matched
