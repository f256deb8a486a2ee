"""The staff area under /staff/: sign-in, the tracker and its dashboards, and the Django admin.

Every page here needs a signed-in member of staff who has passed two-step verification, except the
sign-in pages themselves (tests/test_staff_permissions.py checks each URL for each role).
"""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Safeguarding Partnership Toolkit: staff administration"
admin.site.site_title = "Toolkit administration"

urlpatterns = [
    path("account/", include("safeguarding.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("safeguarding.tracker.urls")),
]
