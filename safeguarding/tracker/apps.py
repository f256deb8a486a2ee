from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "safeguarding.tracker"
    verbose_name = "Implementation tracker"

    def ready(self) -> None:
        from safeguarding.core.staff_menu import StaffMenuItem, staff_menu_register
        from safeguarding.reviews.importers.signals import recommendations_removing, review_pack_written

        from . import signals
        from .content import _on_recommendations_removing, _on_review_pack_written
        from .permissions import can_view_tracker

        signals.connect()

        review_pack_written.connect(_on_review_pack_written, dispatch_uid="tracker.review_pack_sign_offs")
        recommendations_removing.connect(_on_recommendations_removing, dispatch_uid="tracker.pack_removals")
        # The tracker's sections, for the roles that see it (not triage workers or analysts).
        staff_menu_register(
            StaffMenuItem(
                label="Dashboards", url_name="tracker:dashboard", order=30, visible=can_view_tracker
            )
        )
        staff_menu_register(
            StaffMenuItem(
                label="Recommendations",
                url_name="tracker:recommendation_list",
                order=40,
                visible=can_view_tracker,
            )
        )
