from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "safeguarding.reviews"
    verbose_name = "Reviews and recommendations"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps the search index in step with admin edits)
