from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "safeguarding.tracker"
    verbose_name = "Implementation tracker"

    def ready(self) -> None:
        from safeguarding.reviews.importers.signals import recommendations_removing, review_pack_written

        from . import signals
        from .content import _on_recommendations_removing, _on_review_pack_written

        signals.connect()

        review_pack_written.connect(_on_review_pack_written, dispatch_uid="tracker.review_pack_sign_offs")
        recommendations_removing.connect(_on_recommendations_removing, dispatch_uid="tracker.pack_removals")
