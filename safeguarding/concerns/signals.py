"""What concerns tell the apps above them (linking), without knowing who listens.

`concern_changed` is sent once a transaction that made or changed a concern's content has committed:
a new concern, information added later. `concern_deleted` is sent once a concern deleted at the end of
its retention period is gone. Receivers must be quick and must not fail the sender: they queue work.
"""

from django.db import transaction
from django.dispatch import Signal

# Arguments: concern_id (int), what ("created" or "information_added").
concern_changed = Signal()
# Arguments: concern_id (int).
concern_deleted = Signal()


def concern_changed_on_commit(*, concern_id: int, what: str) -> None:
    """Send `concern_changed` when the current transaction commits (at once outside one). Robust: a
    receiver that fails never turns a received concern into an error (linking has its own sweep)."""
    transaction.on_commit(
        lambda: concern_changed.send_robust(sender=None, concern_id=concern_id, what=what), robust=True
    )


def concern_deleted_on_commit(*, concern_id: int) -> None:
    transaction.on_commit(
        lambda: concern_deleted.send_robust(sender=None, concern_id=concern_id), robust=True
    )
