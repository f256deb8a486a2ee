"""The "Similar recommendations in other reviews" panel on each public recommendation page, given to
reviews through its extension point (reviews/panels.py): reviews does not import learning."""

from safeguarding.reviews.models import Recommendation
from safeguarding.reviews.panels import RecommendationPanel

from .selectors import similar_recommendations


def similar_recommendations_panel(*, recommendation: Recommendation) -> RecommendationPanel | None:
    items = similar_recommendations(recommendation=recommendation)
    if not items:
        return None
    return RecommendationPanel(
        template="learning/includes/similar_panel.html",
        context={"items": items, "any_demo": any(item.is_demo for item in items)},
    )
