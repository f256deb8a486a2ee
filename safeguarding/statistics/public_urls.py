"""The public statistics pages under /statistics/ (namespace "public_statistics")."""

from django.urls import path

from . import public_views
from .converters import QUARTER

app_name = "public_statistics"

urlpatterns = [
    path("", public_views.statistics_list, name="list"),
    path("method/", public_views.statistics_method, name="method"),
    path(f"<{QUARTER}:quarter>/", public_views.statistics_detail, name="detail"),
    path(f"<{QUARTER}:quarter>.csv", public_views.statistics_csv, name="csv"),
]
