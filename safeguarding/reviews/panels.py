"""Panels the apps above reviews add to a public recommendation page, without reviews importing them.

Reviews sits below learning in the layers (docs/decisions/0019), so the recommendation page cannot ask
learning for similar recommendations in other reviews. Instead an app above registers a panel provider
in its AppConfig.ready (`recommendation_panel_register`), and the recommendation view asks every
provider for a panel (`recommendation_panels`): a template name and its context. A provider sees only
the recommendation (the page is public and kept in the page cache, docs/decisions/0021, so a panel
must not depend on who is looking) and returns None to show nothing. What a panel shows must come from
watched content, or its app must call `content_changed_on_commit()` when it changes. A provider that
fails shows nothing and never breaks the page (it is logged by id only).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import Recommendation

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecommendationPanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


RecommendationPanelProvider = Callable[..., RecommendationPanel | None]  # provider(recommendation=...)

_providers: list[RecommendationPanelProvider] = []


def recommendation_panel_register(provider: RecommendationPanelProvider) -> None:
    """Add a provider (once, however often an app's ready() runs)."""
    if provider not in _providers:
        _providers.append(provider)


def recommendation_panels(*, recommendation: Recommendation) -> list[RecommendationPanel]:
    panels = []
    for provider in list(_providers):
        try:
            panel = provider(recommendation=recommendation)
        except Exception:  # a panel is extra: the recommendation page must show whatever another app does
            logger.exception("Recommendation %s: a panel provider failed", recommendation.pk)
            continue
        if panel is not None:
            panels.append(panel)
    return panels
