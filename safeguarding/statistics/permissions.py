"""Who may prepare, publish and withdraw public statistics: partnership managers (of any board).

Anyone else gets a 404 from the staff pages, as for other staff sections a role does not open.
"""

from typing import Any

from django.http import Http404

from safeguarding.accounts.models import Role


def manages_statistics(user: Any) -> bool:
    if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return bool(user.has_role(Role.Kind.PARTNERSHIP_MANAGER))


def statistics_check(user: Any) -> None:
    """Http404 unless `user` manages public statistics."""
    if not manages_statistics(user):
        raise Http404("Not found")
