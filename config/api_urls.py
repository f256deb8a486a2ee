"""Version 1 of the read-only JSON API and its OpenAPI 3 schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("safeguarding.reviews.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
