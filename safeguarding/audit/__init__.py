"""The audit trail: one append-only, hash-chained log of security events and of every change."""
