"""Sent when a review pack has been written, inside the loading transaction.

Apps above reviews load what a pack holds for them (the tracker: the sign-offs the boards made before
the toolkit held the review); reviews imports none of them (docs/decisions/0019).
Arguments: review (the Review written), pack (the checked ReviewPack), board_ids (slug -> Board id).
"""

from django.dispatch import Signal

review_pack_written = Signal()

# Sent before a pack's loading removes recommendations no longer in it (argument: recommendations, a
# queryset), so that records an app above loaded from the pack for them can go first.
recommendations_removing = Signal()
