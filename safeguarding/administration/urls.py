"""Administration URLs (namespace "administration")."""

from django.urls import URLPattern

app_name = "administration"

urlpatterns: list[URLPattern] = []
