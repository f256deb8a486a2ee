from typing import Any

from django.apps import AppConfig


def _sees_networks(user: Any) -> bool:
    from .permissions import sees_networks

    return sees_networks(user)


def _open_alerts_count(user: Any) -> int:
    from .selectors import alert_counts

    return alert_counts()["open"]


class LinkingConfig(AppConfig):
    name = "safeguarding.linking"
    verbose_name = "Seeing the pattern: identifiers, links, networks and alerts"

    def ready(self) -> None:
        # Connects the receivers that queue linking when a concern changes or is deleted.
        # The concern page shows whether a concern is linked, and links to its identifiers, through
        # concerns' extension point (concerns does not import linking).
        from safeguarding.concerns.panels import concern_panel_register
        from safeguarding.core.staff_menu import StaffMenuItem, staff_menu_register

        from . import tasks  # noqa: F401
        from .panels import concern_identifiers_panel, concern_linked_panel

        concern_panel_register(concern_linked_panel)
        concern_panel_register(concern_identifiers_panel)
        # The analyst's sections, for those who may see networks (everyone else would get a 404).
        staff_menu_register(
            StaffMenuItem(label="Networks", url_name="linking:network_list", order=20, visible=_sees_networks)
        )
        staff_menu_register(
            StaffMenuItem(
                label="Alerts",
                url_name="linking:alert_list",
                order=25,
                visible=_sees_networks,
                count=_open_alerts_count,
                count_label="open",
            )
        )
