"""Quarterly public statistics under /statistics/ (issue 13).

Published by a partnership manager, with small numbers suppressed.
"""

from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "safeguarding.statistics"
    verbose_name = "Public statistics with small numbers suppressed"

    def ready(self) -> None:
        from safeguarding.core.page_cache import content_models_watch
        from safeguarding.core.staff_menu import StaffMenuItem, staff_menu_register

        from .permissions import manages_statistics

        # Publishing or withdrawing changes the public pages: every process drops what it keeps.
        content_models_watch(self)
        staff_menu_register(
            StaffMenuItem(
                label="Public statistics",
                url_name="statistics:quarter_list",
                order=60,
                visible=manages_statistics,
            )
        )
