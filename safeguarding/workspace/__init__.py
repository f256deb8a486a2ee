"""Each role's home in the staff area and the counts in the staff menu (issue 12)."""
