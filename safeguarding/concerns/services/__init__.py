"""Every change to concerns: receiving them (intake), working on them (triage) and deleting them at
the end of their retention period (retention). Callers import from here, never from the modules."""

from ..answers import ConcernInvalid
from .intake import (
    FOLLOW_UP_MAX_LENGTH,
    RECEIPT_STATUS_LOOKED_AT,
    RECEIPT_STATUS_RECEIVED,
    ReceiptNotRecognised,
    SubmitResult,
    concern_follow_up,
    concern_receipt_status,
    concern_submit,
)
from .retention import concern_delete_expired
from .triage import (
    TEXT_MAX_LENGTH,
    AttachmentAltered,
    ShareDetails,
    attachment_add,
    attachment_open,
    concern_assign,
    concern_close,
    concern_decide,
    concern_reopen,
    concern_share_with_team,
    concern_unassign,
    concern_viewed,
    information_share_record,
    legal_hold_clear,
    legal_hold_set,
    note_add,
)

__all__ = [
    "FOLLOW_UP_MAX_LENGTH",
    "RECEIPT_STATUS_LOOKED_AT",
    "RECEIPT_STATUS_RECEIVED",
    "TEXT_MAX_LENGTH",
    "AttachmentAltered",
    "ConcernInvalid",
    "ReceiptNotRecognised",
    "ShareDetails",
    "SubmitResult",
    "attachment_add",
    "attachment_open",
    "concern_assign",
    "concern_close",
    "concern_decide",
    "concern_delete_expired",
    "concern_follow_up",
    "concern_receipt_status",
    "concern_reopen",
    "concern_share_with_team",
    "concern_submit",
    "concern_unassign",
    "concern_viewed",
    "information_share_record",
    "legal_hold_clear",
    "legal_hold_set",
    "note_add",
]
