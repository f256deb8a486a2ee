"""Reviews and their learning: the public interactive toolkit."""
