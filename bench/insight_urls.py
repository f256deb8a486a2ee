"""The project's URLs and two bare views, for bench/insight.py's baseline: one that does nothing, and
one that does nothing behind the staff gate (sign-in, two-step verification, a role)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import *  # noqa: F403
from config.urls import urlpatterns as project_urlpatterns
from safeguarding.accounts.decorators import staff_required


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@staff_required
def bare_staff(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("bench/bare-staff/", bare_staff), *project_urlpatterns]
