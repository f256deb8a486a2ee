"""Staff accounts: users, their agency and roles, sign-in with a password and a second factor."""
