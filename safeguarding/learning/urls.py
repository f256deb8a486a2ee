"""Learning URLs (namespace "learning"), under /staff/learning/."""

from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.pairs, name="pairs"),
    path("themes/", views.themes, name="themes"),
]
