"""Where recommendations repeat across reviews: similar recommendations and themes (issue 13)."""

from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "safeguarding.learning"
    verbose_name = "Learning across reviews"

    def ready(self) -> None:
        # Reviews knows nothing of learning (docs/decisions/0019): the recommendation page shows similar
        # recommendations through reviews' panel registry, and the staff menu is core's registry.
        from safeguarding.core.staff_menu import StaffMenuItem, staff_menu_register
        from safeguarding.reviews.panels import recommendation_panel_register

        from .panels import similar_recommendations_panel
        from .permissions import sees_learning
        from .tasks import receivers_connect

        receivers_connect()
        recommendation_panel_register(similar_recommendations_panel)
        staff_menu_register(
            StaffMenuItem(label="Learning", url_name="learning:pairs", order=70, visible=sees_learning)
        )
