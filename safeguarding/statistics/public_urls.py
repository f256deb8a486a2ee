"""The public statistics pages under /statistics/ (namespace "public_statistics")."""

from django.urls import URLPattern

app_name = "public_statistics"

urlpatterns: list[URLPattern] = []
