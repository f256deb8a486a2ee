"""Version 1 of the JSON API (public content; concerns from agency systems) and its OpenAPI 3 schema."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from safeguarding.reviews.api.views import api_not_found

urlpatterns = [
    path("", include("safeguarding.reviews.api.urls")),
    path("", include("safeguarding.concerns.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Last: any other address under /api/v1/ ending in a slash is a JSON 404, not the HTML error page.
    # (Addresses without the slash first get Django's redirect to the slashed address.)
    re_path(r"^(?P<path>[\s\S]*/)\Z", api_not_found),
]
