"""Dashboards, the board report and exports, joined into the "tracker" namespace by tracker/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("dashboards/", views.dashboard, name="dashboard"),
    path("dashboards/reviews/<int:review_id>/", views.dashboard_review, name="dashboard_review"),
    path("dashboards/boards/<int:board_id>/", views.dashboard_board, name="dashboard_board"),
    path("dashboards/agencies/<int:agency_id>/", views.dashboard_agency, name="dashboard_agency"),
    path("dashboards/boards/<int:board_id>/report.pdf", views.board_report_pdf, name="board_report_pdf"),
    path("exports/actions.csv", views.export_actions_csv, name="export_actions_csv"),
    path("exports/actions.xlsx", views.export_actions_xlsx, name="export_actions_xlsx"),
]
