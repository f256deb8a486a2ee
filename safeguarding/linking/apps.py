from django.apps import AppConfig


class LinkingConfig(AppConfig):
    name = "safeguarding.linking"
    verbose_name = "Seeing the pattern: identifiers, links, networks and alerts"

    def ready(self) -> None:
        # Connects the receivers that queue linking when a concern changes or is deleted.
        from safeguarding.concerns.extensions import concern_page_include_register

        from . import tasks  # noqa: F401

        # The concern page links to its identifiers (concerns does not import linking).
        concern_page_include_register("linking/identifiers/concern_page_link.html")
