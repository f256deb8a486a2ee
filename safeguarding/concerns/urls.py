"""Triage URLs under /staff/concerns/. They carry team slugs and concern ids only: no personal data."""

from django.urls import path

from . import views

app_name = "concerns"

urlpatterns = [
    path("", views.team_list, name="team_list"),
    path("teams/<slug:slug>/", views.team_queue, name="team_queue"),
    path("<int:pk>/", views.concern_detail, name="concern_detail"),
]
