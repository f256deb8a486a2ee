"""Settings pages under /staff/settings/ (issue 12).

Teams, routing rules, decision options, contact points, users and API tokens.
"""
