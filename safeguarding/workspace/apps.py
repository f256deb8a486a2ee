from typing import Any

from django.apps import AppConfig


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


class WorkspaceConfig(AppConfig):
    name = "safeguarding.workspace"
    verbose_name = "The staff side's home: each role's landing page and the staff menu"

    def ready(self) -> None:
        from safeguarding.core.staff_menu import StaffMenuItem, staff_menu_register

        # Every member of staff has a home: the first item of the staff menu.
        staff_menu_register(
            StaffMenuItem(label="Home", url_name="workspace:home", order=0, visible=_signed_in)
        )
        # The Django admin, a fallback for superusers only: administrators use the settings pages
        # (decision 0031), whose menu item the administration app registers.
        staff_menu_register(
            StaffMenuItem(label="Django admin", url_name="admin:index", order=95, visible=_superuser)
        )
