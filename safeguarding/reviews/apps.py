from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "safeguarding.reviews"
    verbose_name = "Reviews and recommendations"

    def ready(self) -> None:
        from safeguarding.core.page_cache import content_models_watch

        from . import signals  # noqa: F401  (keeps the search index in step with admin edits)

        content_models_watch(self)  # public pages show every model of this app
