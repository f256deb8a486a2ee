from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "safeguarding.insight"
    verbose_name = "Insight: concern statistics for staff"

    def ready(self) -> None:
        from safeguarding.core.staff_menu import StaffMenuItem, staff_menu_register
        from safeguarding.tracker.dashboards.report_sections import board_report_section_register

        from .permissions import sees_insight
        from .receivers import receivers_connect
        from .report import board_report_section

        receivers_connect()
        staff_menu_register(
            StaffMenuItem(label="Insight", url_name="insight:volumes", order=50, visible=sees_insight)
        )
        board_report_section_register(order=50, section=board_report_section)
