"""The site's URLs plus one staff page guarded by staff_required, for testing the guard itself."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from safeguarding.accounts.decorators import staff_required


@staff_required
def probe(request):
    return HttpResponse(f"Hello {request.user.get_username()}")


urlpatterns = [path("staff/probe/", probe, name="probe"), *site_urlpatterns]
