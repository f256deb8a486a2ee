"""The public report journey at /report/ and the follow-up page (docs/decisions/0016)."""
