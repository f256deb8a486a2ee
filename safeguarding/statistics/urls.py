"""Statistics URLs (namespace "statistics"): the partnership manager's pages under /staff/statistics/."""

from django.urls import path

from . import views
from .converters import QUARTER

app_name = "statistics"

urlpatterns = [
    path("", views.quarter_list, name="quarter_list"),
    path(f"<{QUARTER}:quarter>/", views.quarter_preview, name="quarter_preview"),
    path("publications/<int:pk>/", views.publication_detail, name="publication_detail"),
    path("publications/<int:pk>/publish/", views.publication_publish, name="publication_publish"),
    path("publications/<int:pk>/discard/", views.publication_discard, name="publication_discard"),
    path("publications/<int:pk>/withdraw/", views.publication_withdraw, name="publication_withdraw"),
]
