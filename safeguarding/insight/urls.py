"""Insight URLs (namespace "insight"): one page per section, and a download of each table."""

from django.urls import path

from . import views

app_name = "insight"

urlpatterns = [
    path("", views.section_page, name="volumes"),
    path("within-the-clock/", views.section_page, {"section": "clock"}, name="clock"),
    path("urgent/", views.section_page, {"section": "urgent"}, name="urgent"),
    path("repeats/", views.section_page, {"section": "repeats"}, name="repeats"),
    path("information-shares/", views.section_page, {"section": "shares"}, name="shares"),
    path("queue-age/", views.section_page, {"section": "queue"}, name="queue"),
    path("download/<slug:section>/<slug:table>.csv", views.table_export, {"file_format": "csv"}, name="csv"),
    path(
        "download/<slug:section>/<slug:table>.xlsx", views.table_export, {"file_format": "xlsx"}, name="xlsx"
    ),
]
