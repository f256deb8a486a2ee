"""The public statistics pages under /statistics/ (namespace "public_statistics")."""

from django.urls import path, register_converter

from . import public_views
from .converters import QuarterConverter

register_converter(QuarterConverter, "quarter")

app_name = "public_statistics"

urlpatterns = [
    path("", public_views.statistics_list, name="list"),
    path("method/", public_views.statistics_method, name="method"),
    path("<quarter:quarter>/", public_views.statistics_detail, name="detail"),
    path("<quarter:quarter>.csv", public_views.statistics_csv, name="csv"),
]
