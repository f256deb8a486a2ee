"""Where recommendations repeat across reviews: similar recommendations and themes (issue 13)."""
