from django.apps import AppConfig


class LinkingConfig(AppConfig):
    name = "safeguarding.linking"
    verbose_name = "Seeing the pattern: identifiers, links, networks and alerts"
