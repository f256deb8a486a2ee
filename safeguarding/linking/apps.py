from django.apps import AppConfig


class LinkingConfig(AppConfig):
    name = "safeguarding.linking"
    verbose_name = "Seeing the pattern: identifiers, links, networks and alerts"

    def ready(self) -> None:
        # Connects the receivers that queue linking when a concern changes or is deleted.
        from . import tasks  # noqa: F401
