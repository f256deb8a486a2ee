"""The authenticated API through which agency systems send concerns (docs/decisions/0017)."""
