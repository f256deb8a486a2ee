"""A report in progress, kept in the reporter's session, encrypted (docs/decisions/0016).

The session table is in the database, so the answers are stored there as one AES-GCM token
(`core.crypto`), never as readable text. The receipt code is kept the same way from the submit for
REPORT_RECEIPT_SHOW_SECONDS, so that reloading the confirmation page shows it again, and no longer;
Exit this page forgets it at once.
"""

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

from safeguarding.core.crypto import DecryptionError, decrypt_text, encrypt_text

REPORT_KEY = "concerns.report"
RECEIPT_KEY = "concerns.report.receipt"
_REPORT_PURPOSE = "concerns.report.session"
_RECEIPT_PURPOSE = "concerns.report.receipt"


@dataclass
class ReportDraft:
    """The answers so far, and the idempotency key made once for this journey."""

    key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    answers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Receipt:
    key: str
    reference: str
    code: str


def _open(session: SessionBase, name: str, purpose: str) -> dict[str, Any] | None:
    token = session.get(name)
    if not isinstance(token, str):
        return None
    try:
        data = json.loads(decrypt_text(token, purpose=purpose))
    except (DecryptionError, ValueError):
        # A token from a rotated-away key or a damaged one: the draft is lost, not shown as garbage.
        session.pop(name, None)
        return None
    return data if isinstance(data, dict) else None


def draft_load(session: SessionBase) -> ReportDraft:
    """The report in progress, or a new empty one (not saved until `draft_save`)."""
    data = _open(session, REPORT_KEY, _REPORT_PURPOSE)
    if not data or not isinstance(data.get("key"), str) or not isinstance(data.get("answers"), dict):
        return ReportDraft()
    return ReportDraft(key=data["key"], answers=data["answers"])


def draft_save(session: SessionBase, draft: ReportDraft) -> None:
    plain = json.dumps({"key": draft.key, "answers": draft.answers}, ensure_ascii=False)
    session[REPORT_KEY] = encrypt_text(plain, purpose=_REPORT_PURPOSE)


def draft_clear(session: SessionBase) -> None:
    session.pop(REPORT_KEY, None)


def receipt_keep(session: SessionBase, receipt: Receipt) -> None:
    """Keep the receipt for the confirmation page, and write the session at once.

    Written now, not when the response leaves: a second submit racing this one (a double click)
    reads the stored session to find the code it did not get itself (`receipt_find_stored`).
    """
    plain = json.dumps(
        {"key": receipt.key, "reference": receipt.reference, "code": receipt.code, "at": time.time()}
    )
    session[RECEIPT_KEY] = encrypt_text(plain, purpose=_RECEIPT_PURPOSE)
    session.save()
    # Saved with every change made so far: SessionMiddleware need not write it again at the end.
    session.modified = False


def receipt_seconds() -> int:
    return int(settings.REPORT_RECEIPT_SHOW_SECONDS)


def _receipt_from(data: dict[str, Any] | None) -> Receipt | None:
    if not data or time.time() - float(data.get("at", 0)) > receipt_seconds():
        return None
    try:
        return Receipt(key=str(data["key"]), reference=str(data["reference"]), code=str(data["code"]))
    except KeyError:
        return None


def receipt_load(session: SessionBase) -> Receipt | None:
    return _receipt_from(_open(session, RECEIPT_KEY, _RECEIPT_PURPOSE))


def receipt_find_stored(session: SessionBase, *, key: str, wait_seconds: float = 3.0) -> Receipt | None:
    """The receipt another request for the same journey stored, waiting briefly for it to be saved.

    A double click sends two submits with the same key: one makes the concern and gets the code, the
    other learns only that it was already received. Both may have loaded the session before either
    saved it, so this reads the stored copy afresh until the first has saved its receipt.
    """
    receipt = receipt_load(session)
    if receipt and receipt.key == key:
        return receipt
    if not session.session_key:
        return None
    engine = __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"])
    deadline = time.monotonic() + wait_seconds
    while True:
        stored = engine.SessionStore(session.session_key)
        receipt = _receipt_from(_open(stored, RECEIPT_KEY, _RECEIPT_PURPOSE))
        if receipt and receipt.key == key:
            return receipt
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.1)
