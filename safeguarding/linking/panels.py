"""The linking panel on a concern's triage page (concerns/panels.py is the extension point).

A triage worker learns only *that* the concern is linked: how many earlier and later concerns may
involve the same people or things, that the exploitation team holds them, and whom to ask. Never a
reference, value or reason of another concern: that is for analysts, on the network pages.
"""

from typing import Any

from safeguarding.concerns.models import Concern
from safeguarding.concerns.panels import ConcernPanel

from .permissions import sees_networks
from .selectors import concern_link_summary, link_networks_of


def concern_linked_panel(*, concern: Concern, user: Any) -> ConcernPanel | None:
    summary = concern_link_summary(concern)
    if not summary.linked:
        return None
    analyst = sees_networks(user)
    networks = link_networks_of(concern) if analyst else []
    return ConcernPanel(
        template="linking/includes/concern_linked_panel.html",
        context={"summary": summary, "networks": networks},
    )


def concern_identifiers_panel(*, concern: Concern, user: Any) -> ConcernPanel:
    """Below what the concern gives: where its identifiers are seen and corrected (for whoever sees the
    concern page: the receiving teams, who may correct them)."""
    return ConcernPanel(template="linking/identifiers/concern_page_link.html", place="identifiers")
