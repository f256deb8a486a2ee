"""The identifiers of a concern, under /staff/concerns/ (config/staff_urls.py). Ids and the kind's name
only: nothing typed in a URL."""

from django.urls import path

from .views import identifiers as views

app_name = "linking_identifiers"

urlpatterns = [
    path("<int:pk>/identifiers/", views.concern_identifiers, name="concern_identifiers"),
    path("<int:pk>/identifiers/add/<slug:kind>/", views.identifier_add, name="identifier_add"),
    path(
        "<int:pk>/identifiers/<int:identifier_pk>/correct/",
        views.identifier_correct,
        name="identifier_correct",
    ),
    path(
        "<int:pk>/identifiers/<int:identifier_pk>/remove/", views.identifier_remove, name="identifier_remove"
    ),
    path(
        "<int:pk>/identifiers/<int:identifier_pk>/accept/", views.suggestion_accept, name="suggestion_accept"
    ),
    path(
        "<int:pk>/identifiers/<int:identifier_pk>/dismiss/",
        views.suggestion_dismiss,
        name="suggestion_dismiss",
    ),
]
