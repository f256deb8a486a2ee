"""Who may see networks, links and alerts: exploitation analysts and the exploitation team's members.

An active, signed-in user holding the exploitation analyst role, or a member of a concern team of kind
"exploitation", sees every network, link and alert, decrypted, and decides on links and alerts. Nobody
else does: not a triage worker of another team, not an administrator, not a superuser. Anything they
may not see is a 404 (as for concerns, concerns/permissions.py), so a stranger cannot learn that a
network or an alert exists. What a triage worker sees of linking is only *that* a concern is linked
(selectors.concern_link_summary).
"""

from typing import Any

from django.http import Http404

from safeguarding.accounts.models import Role
from safeguarding.concerns.models import Team
from safeguarding.concerns.permissions import user_teams

from .models import Alert, Link, Network


def sees_networks(user: Any) -> bool:
    """Whether `user` may see networks, links and alerts."""
    if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return bool(
        user.has_role(Role.Kind.EXPLOITATION_ANALYST)
        or any(team.kind == Team.Kind.EXPLOITATION for team in user_teams(user))
    )


def networks_check(user: Any) -> None:
    """Http404 unless `user` may see networks, links and alerts."""
    if not sees_networks(user):
        raise Http404("Not found")


def network_for_user(*, user: Any, pk: int) -> Network:
    """The network `pk` (active or not: an old address still explains where it went), or Http404."""
    networks_check(user)
    network = Network.objects.filter(pk=pk).first()
    if network is None:
        raise Http404("No network found")
    return network


def link_for_user(*, user: Any, pk: int) -> Link:
    networks_check(user)
    link = Link.objects.select_related("concern_low", "concern_high", "decided_by").filter(pk=pk).first()
    if link is None:
        raise Http404("No link found")
    return link


def alert_for_user(*, user: Any, pk: int) -> Alert:
    networks_check(user)
    alert = Alert.objects.select_related("team", "network", "assigned_to").filter(pk=pk).first()
    if alert is None:
        raise Http404("No alert found")
    return alert
