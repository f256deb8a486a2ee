"""Settings pages under /staff/settings/ (issue 12).

Teams, routing rules, decision options, contact points, users and API tokens, for administrators.
"""

from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "safeguarding.administration"
    verbose_name = "Settings pages for administrators"

    def ready(self) -> None:
        from safeguarding.core.staff_menu import StaffMenuItem, staff_menu_register

        from .permissions import user_is_administrator

        staff_menu_register(
            StaffMenuItem(
                label="Settings",
                url_name="administration:index",
                order=90,
                visible=user_is_administrator,
            )
        )
