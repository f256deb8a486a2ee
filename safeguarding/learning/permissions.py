"""Who may open the staff pages of learning across reviews.

Those who see every recommendation in the tracker: administrators, viewers, partnership managers and
board members (tracker/permissions.py). The pages show open actions of every agency, so an agency lead
(who sees only their agency's recommendations) does not; nor do triage workers or exploitation
analysts. Anyone else gets 404, as for the tracker. Similar recommendations themselves are public:
every recommendation page shows them.
"""

from typing import Any

from safeguarding.tracker.permissions import user_roles


def sees_learning(user: Any) -> bool:
    return user_roles(user).sees_everything
