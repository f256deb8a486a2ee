"""URLs of the concerns API, under /api/v1/."""

from django.urls import path

from safeguarding.core.middleware import request_body_limit

from .views import ConcernCreateView

urlpatterns = [
    # The view bounds its own body and answers 413 in the API's JSON (views._body).
    path("concerns/", request_body_limit(None)(ConcernCreateView.as_view()), name="api-concerns-create"),
]
