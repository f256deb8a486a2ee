"""Panels the apps above concerns add to a concern's triage page, without concerns importing them.

Concerns sits below linking in the layers (docs/decisions/0019), so the triage page cannot ask linking
whether a concern is linked. Instead an app above registers a panel provider in its AppConfig.ready
(`concern_panel_register`), and the triage view asks every provider for a panel (`concern_panels`):
a template name, its context and its place on the page. A provider sees the
concern and the user, decides what that user may see, and returns None to show nothing. A provider
that fails shows nothing and never breaks the triage page (it is logged by id only).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import Concern

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConcernPanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # Where on the page: "top" (near the top), or "identifiers" (below the people, vehicles, phones,
    # places and accounts the concern gives).
    place: str = "top"


ConcernPanelProvider = Callable[..., ConcernPanel | None]  # called as provider(concern=..., user=...)

_providers: list[ConcernPanelProvider] = []


def concern_panel_register(provider: ConcernPanelProvider) -> None:
    """Add a provider (once, however often an app's ready() runs)."""
    if provider not in _providers:
        _providers.append(provider)


def concern_panels(*, concern: Concern, user: Any) -> list[ConcernPanel]:
    panels = []
    for provider in list(_providers):
        try:
            panel = provider(concern=concern, user=user)
        except Exception:  # a panel is extra: the triage page must show whatever another app does
            logger.exception("Concern %s: a panel provider failed", concern.pk)
            continue
        if panel is not None:
            panels.append(panel)
    return panels
