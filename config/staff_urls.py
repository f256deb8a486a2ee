"""The staff area under /staff/: sign-in, the tracker and its dashboards, and the Django admin.

Every page here needs a signed-in member of staff who has passed two-step verification, except the
sign-in pages themselves (tests/test_staff_permissions.py checks each URL for each role). The admin
is no exception: its site is StaffAdminSite, which opens only to verified administrators.
"""

from django.contrib import admin
from django.urls import include, path

from safeguarding.accounts.admin_site import StaffAdminSite

# django-otp's documented way to guard the default admin site: every ModelAdmin registered on
# admin.site stays registered, and the site now checks two-step verification.
admin.site.__class__ = StaffAdminSite

urlpatterns = [
    path("account/", include("safeguarding.accounts.urls")),
    path("admin/", admin.site.urls),
    path("concerns/", include("safeguarding.concerns.urls")),
    path("concerns/", include("safeguarding.linking.urls_identifiers")),
    # networks/ and alerts/: the exploitation team's pages (safeguarding/linking)
    path("", include("safeguarding.linking.urls")),
    path("insight/", include("safeguarding.insight.urls")),
    path("statistics/", include("safeguarding.statistics.urls")),
    path("learning/", include("safeguarding.learning.urls")),
    path("settings/", include("safeguarding.administration.urls")),
    path("", include("safeguarding.workspace.urls")),
    path("", include("safeguarding.tracker.urls")),
]
