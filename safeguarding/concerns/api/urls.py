"""URLs of the concerns API, under /api/v1/."""

from django.urls import path

from .views import ConcernCreateView

urlpatterns = [
    path("concerns/", ConcernCreateView.as_view(), name="api-concerns-create"),
]
