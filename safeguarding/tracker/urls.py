"""Tracker URLs: the dashboards and reports (dashboards/urls.py) and the work on actions (work_urls.py)."""

from . import work_urls
from .dashboards import urls as dashboard_urls

app_name = "tracker"

urlpatterns = [*dashboard_urls.urlpatterns, *work_urls.urlpatterns]
