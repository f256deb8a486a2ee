from django.apps import AppConfig


class LinkingConfig(AppConfig):
    name = "safeguarding.linking"
    verbose_name = "Seeing the pattern: identifiers, links, networks and alerts"

    def ready(self) -> None:
        # Connects the receivers that queue linking when a concern changes or is deleted.
        # The concern page shows whether a concern is linked, and links to its identifiers, through
        # concerns' extension point (concerns does not import linking).
        from safeguarding.concerns.panels import concern_panel_register

        from . import tasks  # noqa: F401
        from .panels import concern_identifiers_panel, concern_linked_panel

        concern_panel_register(concern_linked_panel)
        concern_panel_register(concern_identifiers_panel)
