"""The professional referral journey at /refer/ (docs/decisions/0017)."""
